using Migrator.Planning;

namespace Migrator.Dialects.Postgres;

/// <summary>
/// Moves the views and materialized views that read a column onto the column that replaces it, inside
/// the contract's transaction, so there is no moment when they are missing. PostgreSQL binds a view to
/// column numbers, and refuses to drop a column a view reads (2BP01). So, in one transaction:
/// <see cref="Hold"/> saves each dependent view (found through pg_depend, with the views built on it,
/// recursively) as the statements that recreate it: its definition, options, owner, grants, comments,
/// column defaults, INSTEAD OF triggers and rules, and a materialized view's indexes; then drops them,
/// deepest first. The caller renames the old column aside and gives the new column the old one's name;
/// <see cref="Recreate"/> then runs the saved statements, so each definition binds to the new column
/// (a materialized view is filled again by its query). Renaming the column to its final name
/// afterwards carries the views with it. Nothing is written when no view depends on the column.
/// </summary>
public static class HeldViews
{
    /// <summary>The statement that saves and drops the views reading <paramref name="column"/> of the table.</summary>
    public static PlannedStatement Hold(string schema, string table, string column)
    {
        string relation = PgSql.Literal(PgSql.Qualified(schema, table));
        string hold = PgSql.Literal($"{schema}.{table}.{column}");
        string body = $$"""
            DECLARE
                target_rel oid := to_regclass({{relation}});
                target_col int2;
                v record;
                ddl text[];
                x record;
                kind text;
            BEGIN
                SELECT attnum INTO target_col FROM pg_attribute WHERE attrelid = target_rel AND attname = {{PgSql.Literal(column)}} AND NOT attisdropped;
                CREATE TEMP TABLE IF NOT EXISTS migrator_held_views (hold text, depth int, ddl text[]) ON COMMIT DROP;
                CREATE TEMP TABLE IF NOT EXISTS migrator_held_checks (hold text, name text, definition text, comment text) ON COMMIT DROP;
                INSERT INTO migrator_held_checks
                    SELECT {{hold}}, k.conname, pg_get_constraintdef(k.oid), obj_description(k.oid, 'pg_constraint')
                    FROM pg_constraint k
                    WHERE k.conrelid = target_rel AND k.contype = 'c' AND k.conkey = ARRAY[target_col] AND k.coninhcount = 0
                      AND k.conname NOT LIKE 'migrator\_%';
                FOR v IN
                    WITH RECURSIVE deps(oid, depth) AS (
                        SELECT w.ev_class, 1 FROM pg_depend d JOIN pg_rewrite w ON w.oid = d.objid
                        WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
                          AND d.refobjid = target_rel AND d.refobjsubid = target_col AND w.ev_class <> target_rel
                        UNION
                        SELECT w.ev_class, deps.depth + 1 FROM deps
                        JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = deps.oid AND d.classid = 'pg_rewrite'::regclass
                        JOIN pg_rewrite w ON w.oid = d.objid AND w.ev_class <> deps.oid)
                    SELECT c.oid, c.relkind, c.relispopulated, c.reloptions, c.relacl, c.relowner, max(deps.depth) AS depth,
                           format('%I.%I', n.nspname, c.relname) AS name
                    FROM deps JOIN pg_class c ON c.oid = deps.oid JOIN pg_namespace n ON n.oid = c.relnamespace
                    GROUP BY c.oid, n.nspname
                    ORDER BY max(deps.depth) DESC
                LOOP
                    kind := CASE v.relkind WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'VIEW' END;
                    ddl := ARRAY[format('CREATE %s %s%s AS %s%s', kind, v.name,
                        CASE WHEN v.reloptions IS NULL THEN '' ELSE ' WITH (' || array_to_string(v.reloptions, ', ') || ')' END,
                        rtrim(pg_get_viewdef(v.oid), E'; \n'),
                        CASE WHEN v.relkind = 'm' THEN CASE WHEN v.relispopulated THEN ' WITH DATA' ELSE ' WITH NO DATA' END ELSE '' END)];
                    ddl := ddl || format('ALTER %s %s OWNER TO %I', kind, v.name, pg_get_userbyid(v.relowner));
                    FOR x IN SELECT a.privilege_type, a.is_grantable, a.grantee FROM aclexplode(v.relacl) a WHERE a.grantee <> v.relowner LOOP
                        ddl := ddl || format('GRANT %s ON %s TO %s%s', x.privilege_type, v.name,
                            CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(x.grantee)) END,
                            CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
                    END LOOP;
                    FOR x IN SELECT d.description, a.attname FROM pg_description d LEFT JOIN pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid
                             WHERE d.classoid = 'pg_class'::regclass AND d.objoid = v.oid LOOP
                        ddl := ddl || CASE WHEN x.attname IS NULL THEN format('COMMENT ON %s %s IS %L', kind, v.name, x.description)
                                           ELSE format('COMMENT ON COLUMN %s.%I IS %L', v.name, x.attname, x.description) END;
                    END LOOP;
                    FOR x IN SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) AS expr FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                             WHERE d.adrelid = v.oid LOOP
                        ddl := ddl || format('ALTER VIEW %s ALTER COLUMN %I SET DEFAULT %s', v.name, x.attname, x.expr);
                    END LOOP;
                    FOR x IN SELECT pg_get_triggerdef(t.oid) AS def FROM pg_trigger t WHERE t.tgrelid = v.oid AND NOT t.tgisinternal LOOP
                        ddl := ddl || x.def;
                    END LOOP;
                    FOR x IN SELECT pg_get_ruledef(r.oid) AS def FROM pg_rewrite r WHERE r.ev_class = v.oid AND r.rulename <> '_RETURN' LOOP
                        ddl := ddl || rtrim(x.def, ';');
                    END LOOP;
                    FOR x IN SELECT pg_get_indexdef(i.indexrelid) AS def FROM pg_index i WHERE i.indrelid = v.oid LOOP
                        ddl := ddl || x.def;
                    END LOOP;
                    INSERT INTO migrator_held_views VALUES ({{hold}}, v.depth, ddl);
                    EXECUTE format('DROP %s %s', kind, v.name);
                END LOOP;
            END
            """;
        return new PlannedStatement(Do(body));
    }

    /// <summary>The statement that recreates what <see cref="Hold"/> saved for the same column, shallowest first.</summary>
    public static PlannedStatement Recreate(string schema, string table, string column)
    {
        string hold = PgSql.Literal($"{schema}.{table}.{column}");
        string body = $$"""
            DECLARE
                v record;
                statement text;
            BEGIN
                IF to_regclass('pg_temp.migrator_held_views') IS NULL THEN
                    RETURN;
                END IF;
                FOR v IN SELECT ddl FROM migrator_held_views WHERE hold = {{hold}} ORDER BY depth LOOP
                    FOREACH statement IN ARRAY v.ddl LOOP
                        EXECUTE statement;
                    END LOOP;
                END LOOP;
                DELETE FROM migrator_held_views WHERE hold = {{hold}};
            END
            """;
        return new PlannedStatement(Do(body));
    }

    /// <summary>
    /// Adds again, NOT VALID, the CHECK constraints on the old column alone that <see cref="Hold"/>
    /// saved: run after the old column is dropped (the names are free again) and while the new column
    /// has the old one's name (so each definition binds to it). New writes are checked at once; each
    /// is marked for <see cref="ValidateChecks"/>, which proves the existing rows in a later step.
    /// </summary>
    public static PlannedStatement RecreateChecks(string schema, string table, string column)
    {
        string relation = PgSql.Literal(PgSql.Qualified(schema, table));
        string hold = PgSql.Literal($"{schema}.{table}.{column}");
        string body = $$"""
            DECLARE
                k record;
            BEGIN
                IF to_regclass('pg_temp.migrator_held_checks') IS NULL THEN
                    RETURN;
                END IF;
                FOR k IN SELECT name, definition, comment FROM migrator_held_checks WHERE hold = {{hold}} LOOP
                    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s NOT VALID', {{relation}}, k.name, k.definition);
                    EXECUTE format('COMMENT ON CONSTRAINT %I ON %s IS %L', k.name, {{relation}}, {{PgSql.Literal(ValidateMarker)}} || coalesce(k.comment, ''));
                END LOOP;
                DELETE FROM migrator_held_checks WHERE hold = {{hold}};
            END
            """;
        return new PlannedStatement(Do(body));
    }

    /// <summary>Validates the constraints <see cref="RecreateChecks"/> added (SHARE UPDATE EXCLUSIVE: reads
    /// and writes go on) and gives each its own comment back. Run in its own transaction.</summary>
    public static PlannedStatement ValidateChecks(string schema, string table)
    {
        string relation = PgSql.Literal(PgSql.Qualified(schema, table));
        string body = $$"""
            DECLARE
                k record;
            BEGIN
                FOR k IN SELECT c.conname, substr(obj_description(c.oid, 'pg_constraint'), {{ValidateMarker.Length + 1}}) AS comment
                         FROM pg_constraint c
                         WHERE c.conrelid = to_regclass({{relation}}) AND starts_with(coalesce(obj_description(c.oid, 'pg_constraint'), ''), {{PgSql.Literal(ValidateMarker)}}) LOOP
                    EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', {{relation}}, k.conname);
                    EXECUTE format('COMMENT ON CONSTRAINT %I ON %s IS %L', k.conname, {{relation}}, nullif(k.comment, ''));
                END LOOP;
            END
            """;
        return new PlannedStatement(Do(body));
    }

    /// <summary>Marks a constraint carried over to a new column that is still to be validated.</summary>
    private const string ValidateMarker = "migrator: validate; was: ";

    private static string Do(string body)
    {
        string tag = PgNames.DollarTag(body);
        return $"DO {tag}\n{body}\n{tag};";
    }
}
