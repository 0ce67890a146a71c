using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;
using Migrator.Compatibility.HazardRules;
using Migrator.Planning;

namespace Migrator.Compatibility;

/// <summary>
/// For every phase still to run × every app version that will be live while it runs, decides whether the
/// phase breaks that version: the phase's SQL is replayed on a <see cref="VisibleSchema"/> and each
/// statement of the version's usage manifest is checked against the schema before and after (missing
/// table or column, INSERT omitting a column that becomes NOT NULL, retyped or narrowed columns, NULLs
/// into non-nullable members, SELECT * losing a mapped column). A version without a manifest gets the
/// conservative rule. The hazard rules run on every phase's SQL as well.
/// </summary>
public static class CompatibilityChecker
{
    public static IReadOnlyList<Finding> Check(
        IReadOnlyList<ChangePlan> plans,
        Func<ChangePlan, ChangeState>? state,
        IReadOnlyList<AppVersionUsage> versions,
        VisibleSchema? live = null,
        Dialects.ISqlDialect? dialect = null)
    {
        // The phases' SQL is read with the engine's own grammar (PostgreSQL's by default).
        Func<string, List<DdlEffect>> read = dialect is null || dialect.Provider == "postgres"
            ? PgDdlAnalyzer.Analyze
            : sql => [.. dialect.ReadStatements(sql) ?? []];
        var rules = dialect is null ? HazardCatalog.Rules : HazardCatalog.For(dialect);
        var findings = new List<Finding>();
        var schema = live?.Clone() ?? new VisibleSchema();
        foreach (var version in versions.Where(v => v.Manifest is not null))
        {
            findings.AddRange(ManifestWarnings(version));
        }

        foreach (var plan in plans)
        {
            // Tables this change creates: locking them blocks no one. A table an earlier change created is
            // in use by the time this one expands.
            var created = new HashSet<string>(StringComparer.Ordinal);
            var current = state?.Invoke(plan) ?? ChangeState.Pending;
            bool expandPending = live is null || !current.IsExpanded();
            bool contractPending = current != ChangeState.Contracted;
            foreach (var phase in new[] { Phase.Expand, Phase.Contract })
            {
                bool pending = phase == Phase.Expand ? expandPending : contractPending;
                var steps = plan.Steps(phase).Select(s =>
                {
                    var step = new SqlStep(s.Transactional);
                    step.AddRange(s.Statements.Where(x => !x.IsBoundary).Select(x => (x.Sql, Effects: read(x.Sql))));
                    return step;
                }).ToList();
                var before = schema.Clone();
                foreach (var effect in steps.SelectMany(s => s).SelectMany(s => s.Effects))
                {
                    if (effect.Kind == DdlKind.CreateTable)
                    {
                        created.Add(VisibleSchema.Key(effect.Schema, effect.Table!));
                    }

                    if (!(live is not null && !pending))
                    {
                        schema.Apply(effect);
                    }
                }

                if (!pending)
                {
                    continue;
                }

                var context = new PhaseSql(plan, phase, steps, before, created);
                if (dialect is { Provider: not "postgres" })
                {
                    context = context with { SqlServer = dialect.Provider == "sqlserver", Volatility = dialect.IsVolatile };
                }

                findings.AddRange(rules.SelectMany(rule => rule.Check(context)));
                // What the phase changes, computed once and checked against every version.
                var changed = Changes(before, schema).ToList();
                foreach (var version in versions)
                {
                    findings.AddRange(CheckVersion(plan, phase, version, before, schema, changed));
                }
            }
        }

        return findings;
    }

    /// <summary>For `gate`: which statements of each version name a table or column the schema, as it is now, lacks.</summary>
    public static IReadOnlyList<Finding> CheckNow(VisibleSchema schema, IReadOnlyList<AppVersionUsage> versions)
    {
        var findings = new List<Finding>();
        foreach (var version in versions.Where(v => v.Manifest is not null))
        {
            findings.AddRange(ManifestWarnings(version));
            foreach (var statement in version.Manifest!.Statements.Where(s => s.Errors.Count == 0))
            {
                var analysis = UsageExtractor.Analyze(statement.Sql, version.Manifest.Dialect, schema);
                var missing = analysis.Tables.Where(t => schema.Find(t.Schema, t.Name) is null).Select(t => $"table {t}")
                    .Concat(analysis.Columns.Where(c => schema.Find(c.Schema, c.Table) is { } r && !r.Columns.ContainsKey(c.Column)).Select(c => $"column {c.Table}.{c.Column}"))
                    .Distinct();
                foreach (var what in missing)
                {
                    findings.Add(new Finding(RuleIds.MissingObject, Severity.Error, $"{version} uses {what}, which does not exist now")
                    {
                        Phase = "now",
                        AppVersion = version.ToString(),
                        Location = statement.Location,
                        Sql = statement.Sql,
                    });
                }
            }
        }

        return findings;
    }

    /// <summary>What a version's own manifest says the checker cannot see: unresolved calls, unparsed SQL.</summary>
    private static IEnumerable<Finding> ManifestWarnings(AppVersionUsage version)
    {
        foreach (var unresolved in version.Manifest!.Unresolved)
        {
            yield return new Finding(RuleIds.UnresolvedSql, Severity.Warning, $"{version} builds this SQL at run time, so it cannot be checked: {unresolved.Reason}")
            {
                AppVersion = version.ToString(),
                Location = $"{unresolved.File}:{unresolved.Line}",
            };
        }

        foreach (var statement in version.Manifest.Statements.Where(s => s.Errors.Count > 0))
        {
            yield return new Finding(RuleIds.UnparsedSql, Severity.Warning, $"{version} sends SQL the analyser cannot read, so it cannot be checked: {statement.Errors[0]}")
            {
                AppVersion = version.ToString(),
                Location = statement.Location,
                Sql = statement.Sql,
            };
        }
    }

    private static IEnumerable<Finding> CheckVersion(ChangePlan plan, Phase phase, AppVersionUsage version, VisibleSchema before, VisibleSchema after, IReadOnlyList<RelationChange> changed)
    {
        if (changed.Count == 0)
        {
            yield break;
        }

        // Contract runs only once no live version is older than ContractAfter (version rules): for those
        // versions the phase is not a break but a wait, reported once as information.
        if (phase == Phase.Contract && version.Version.ComparePrecedenceTo(plan.Change.ContractAfter) < 0)
        {
            yield return new Finding(RuleIds.ContractWaits, Severity.Info,
                $"contract of change {plan.Id} waits until {version} is retired (it is older than {plan.Change.ContractAfter}); it then {string.Join(", ", changed.Take(3).Select(c => c.What))}")
            {
                ChangeId = plan.Id,
                Phase = "contract",
                AppVersion = version.ToString(),
            };
            yield break;
        }

        string phaseName = phase.ToString().ToLowerInvariant();
        if (version.Manifest is null)
        {
            // The conservative rule. In expand nothing may be removed, renamed or retyped under a version whose
            // usage is unknown. In contract the version rules already are that rule: a version at or after
            // ContractAfter was written against the new shape, which is what the change declares.
            if (phase == Phase.Contract)
            {
                yield break;
            }

            foreach (var change in changed.Where(c => c.Destructive))
            {
                yield return new Finding(RuleIds.NoUsageManifest, Severity.Error,
                    $"{version} has no usage manifest, so it is assumed to use everything: {phaseName} of change {change.Describe(plan.Id)}")
                {
                    ChangeId = plan.Id,
                    Phase = phaseName,
                    AppVersion = version.ToString(),
                };
            }

            yield break;
        }

        var keys = changed.Select(c => c.Relation).ToHashSet(StringComparer.Ordinal);
        foreach (var statement in version.Manifest.Statements)
        {
            if (!statement.Tables.Any(t => keys.Contains(VisibleSchema.Key(t.Schema, t.Name))))
            {
                continue;
            }

            var analysis = UsageExtractor.Analyze(statement.Sql, version.Manifest.Dialect, before);
            foreach (var (finding, column) in StatementFindings(statement, analysis, before, after))
            {
                // An EF Core model's statement: the finding points at the property that maps the column.
                var property = column is null ? null : statement.PropertyOf(column.Table, column.Column);
                yield return finding with
                {
                    ChangeId = plan.Id,
                    Phase = phaseName,
                    AppVersion = version.ToString(),
                    Location = property is null ? statement.Location : $"{statement.File}:{property.Line}",
                    Sql = statement.Sql,
                    Message = $"{phaseName} of change {plan.Id} breaks {version}: {finding.Message}"
                        + (property is null ? "" : $" (EF Core property {statement.ResultType ?? statement.Method}.{property.Property})"),
                };
            }
        }
    }

    /// <summary>What is wrong for one app statement when the schema goes from <paramref name="before"/> to <paramref name="after"/>.</summary>
    internal static IEnumerable<(Finding Finding, ColumnUse? Column)> StatementFindings(UsageStatement statement, SqlAnalysis analysis, VisibleSchema before, VisibleSchema after)
    {
        foreach (var table in analysis.Tables)
        {
            if (before.Find(table.Schema, table.Name) is not null && after.Find(table.Schema, table.Name) is null)
            {
                yield return (new Finding(RuleIds.MissingObject, Severity.Error, $"{Verb(table.Written)} table {table}, which will no longer exist"), null);
            }
        }

        foreach (var column in analysis.Columns)
        {
            var old = before.Find(column.Schema, column.Table)?.Columns.GetValueOrDefault(column.Column);
            var relation = after.Find(column.Schema, column.Table);
            if (old is null || relation is null)
            {
                continue;
            }

            bool written = column.Access == ColumnAccess.Write;
            if (!relation.Columns.TryGetValue(column.Column, out var now))
            {
                yield return (new Finding(RuleIds.MissingObject, Severity.Error, $"{Verb(written)} column {column.Table}.{column.Column}, which will no longer exist"), column);
                continue;
            }

            if (!SameType(old.Type, now.Type))
            {
                yield return (new Finding(RuleIds.TypeChanged, written ? Severity.Error : Severity.Warning,
                    $"{Verb(written)} column {column.Table}.{column.Column}, whose type changes from {old.Type} to {now.Type}: values may no longer fit or map"), column);
            }

            if (old.NotNull && !now.NotNull && !written && statement.ResultColumns.FirstOrDefault(m => Matches(m, column.Column) || m.Name == "(scalar)") is { Nullable: false } member)
            {
                yield return (new Finding(RuleIds.NullIntoNonNullable, Severity.Error,
                    $"reads {column.Table}.{column.Column} into {member.Type} {(member.Name == "(scalar)" ? "" : member.Name + " ")}(not nullable), and the column will allow NULL"), column);
            }
        }

        foreach (var insert in analysis.Tables.Where(t => t.Written && analysis.Kind == StatementKind.Insert))
        {
            var relation = after.Find(insert.Schema, insert.Name);
            var previous = before.Find(insert.Schema, insert.Name);
            if (relation is null || previous is null || analysis.InsertsWithoutColumnList.Any(t => t.Name == insert.Name))
            {
                continue;
            }

            var listed = analysis.Columns.Where(c => c.Access == ColumnAccess.Write && c.Table == insert.Name).Select(c => c.Column).ToHashSet(StringComparer.Ordinal);
            foreach (var (name, shape) in relation.Columns)
            {
                bool wasRequired = previous.Columns.TryGetValue(name, out var was) && was.NotNull && !was.HasDefault;
                if (shape.NotNull && !shape.HasDefault && !wasRequired && !listed.Contains(name))
                {
                    yield return (new Finding(RuleIds.InsertOmitsRequired, Severity.Error,
                        $"inserts into {insert} without {name}, which becomes NOT NULL with no default: the INSERT will fail; add {name} to this INSERT in the version, or give the column a default in the change"), null);
                }
            }
        }

        foreach (var star in analysis.StarTables)
        {
            var old = before.Find(star.Schema, star.Name);
            var relation = after.Find(star.Schema, star.Name);
            if (old is null || relation is null)
            {
                continue;
            }

            foreach (var member in statement.ResultColumns.Where(m => m.Name != "(scalar)"))
            {
                string? lost = old.Columns.Keys.FirstOrDefault(c => Matches(member, c) && !relation.Columns.ContainsKey(c));
                if (lost is not null)
                {
                    yield return (new Finding(RuleIds.SelectStarLosesColumn, Severity.Error,
                        $"SELECT * from {star} fills {statement.ResultType}.{member.Name} from column {lost}, which will no longer exist"), null);
                }
            }
        }
    }

    private sealed record RelationChange(string Relation, string What, bool Destructive)
    {
        public string Describe(long id) => $"{id} {What}";
    }

    /// <summary>What differs between two schemas, relation by relation.</summary>
    private static IEnumerable<RelationChange> Changes(VisibleSchema before, VisibleSchema after)
    {
        foreach (var key in before.RelationNames)
        {
            var parts = key.Split('.', 2);
            var was = before.Find(parts[0], parts[1])!;
            var now = after.Find(parts[0], parts[1]);
            if (now is null)
            {
                yield return new RelationChange(key, $"removes {key}", true);
                continue;
            }

            foreach (var (column, shape) in was.Columns)
            {
                if (!now.Columns.TryGetValue(column, out var current))
                {
                    yield return new RelationChange(key, $"removes or renames {key}.{column}", true);
                }
                else if (!SameType(shape.Type, current.Type))
                {
                    yield return new RelationChange(key, $"retypes {key}.{column} ({shape.Type} → {current.Type})", true);
                }
                else if (shape.NotNull != current.NotNull || (shape.HasDefault && !current.HasDefault))
                {
                    yield return new RelationChange(key, $"changes NOT NULL or the default of {key}.{column}", false);
                }
            }

            foreach (var (column, shape) in now.Columns)
            {
                if (!was.Columns.ContainsKey(column) && shape.NotNull && !shape.HasDefault)
                {
                    yield return new RelationChange(key, $"adds {key}.{column} NOT NULL without a default", true);
                }
            }
        }
    }

    private static string Verb(bool written) => written ? "writes" : "reads";

    /// <summary>Dapper matches a member to a column ignoring case (and underscores when MatchNamesWithUnderscores is on).</summary>
    private static bool Matches(MappedColumn member, string column) =>
        string.Equals(Normalize(member.Name), Normalize(column), StringComparison.Ordinal);

    private static string Normalize(string name) => name.Replace("_", "").ToLowerInvariant();

    private static bool SameType(string a, string b) => string.Equals(NormalizeType(a), NormalizeType(b), StringComparison.Ordinal);

    /// <summary>Types as FluentMigrator writes them and as PostgreSQL reports them, compared by meaning.</summary>
    private static string NormalizeType(string type)
    {
        string t = type.Trim().Trim('"').ToLowerInvariant().Replace(" ", "");
        return t switch
        {
            "int" or "int4" or "integer" or "serial" => "integer",
            "int8" or "bigint" or "bigserial" => "bigint",
            "int2" or "smallint" or "smallserial" => "smallint",
            "bool" or "boolean" => "boolean",
            "timestamptz" or "timestampwithtimezone" => "timestamptz",
            "timestamp" or "timestampwithouttimezone" => "timestamp",
            "varchar" or "charactervarying" => "varchar",
            "float8" or "doubleprecision" => "float8",
            "float4" or "real" => "float4",
            _ when t.StartsWith("charactervarying(", StringComparison.Ordinal) => "varchar" + t["charactervarying".Length..],
            _ => t,
        };
    }
}
