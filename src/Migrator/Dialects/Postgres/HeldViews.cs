using Migrator.Dialects;
using Migrator.Planning;

namespace Migrator.Dialects.Postgres;

/// <summary>
/// Moves the views and materialized views that read a column onto the column that replaces it, inside
/// the contract's transaction, so there is no moment when they are missing. PostgreSQL binds a view to
/// column numbers, and refuses to drop a column a view reads (2BP01). So, in one transaction:
/// <see cref="Hold"/> saves each dependent view (found through pg_depend, with the views built on it,
/// recursively) as the statements that recreate it: its definition, options, owner, grants, comments,
/// column defaults, INSTEAD OF triggers and rules, and a materialized view's indexes; it also saves the
/// column's own single-column CHECK constraints; then it drops the views, outermost first (the order
/// in which a reader locks them, so it cannot deadlock with one). The caller renames the old column
/// aside and gives the new column the old one's name; <see cref="Recreate"/> then runs the saved
/// statements, so each definition binds to the new column (a materialized view is filled again by its
/// query). After the old column is dropped, <see cref="RecreateChecks"/> adds its checks again NOT VALID
/// on the new one; <see cref="ValidateChecks"/>, in a later transaction, proves them. The work is done
/// by functions in the ledger schema (<see cref="FunctionsSql"/>, created with the ledger), so a plan
/// shows one readable call per step.
/// </summary>
public static class HeldViews
{
    /// <summary>The statement that saves and drops the views reading <paramref name="column"/> of the table.</summary>
    public static PlannedStatement Hold(string ledgerSchema, string schema, string table, string column) =>
        new($"SELECT {PgSql.Ident(ledgerSchema)}.hold_views({Relation(schema, table)}, {PgSql.Literal(column)}, {HoldKey(schema, table, column)});")
        {
            RecreatesViewsOf = (schema, table, column),
        };

    /// <summary>The statement that recreates what <see cref="Hold"/> saved for the same column, innermost first.</summary>
    public static PlannedStatement Recreate(string ledgerSchema, string schema, string table, string column) =>
        new($"SELECT {PgSql.Ident(ledgerSchema)}.recreate_views({HoldKey(schema, table, column)});");

    /// <summary>Adds the saved CHECK constraints again, NOT VALID, once the old column is gone and the new
    /// one has its name: new writes are checked at once.</summary>
    public static PlannedStatement RecreateChecks(string ledgerSchema, string schema, string table, string column) =>
        new($"SELECT {PgSql.Ident(ledgerSchema)}.recreate_checks({Relation(schema, table)}, {HoldKey(schema, table, column)});");

    /// <summary>Validates the constraints <see cref="RecreateChecks"/> added (SHARE UPDATE EXCLUSIVE: reads
    /// and writes go on) and gives each its own comment back. Run in a transaction of its own.</summary>
    public static PlannedStatement ValidateChecks(string ledgerSchema, string schema, string table) =>
        new($"SELECT {PgSql.Ident(ledgerSchema)}.validate_checks({Relation(schema, table)});");

    private static string Relation(string schema, string table) => PgSql.Literal(PgSql.Qualified(schema, table)) + "::regclass";

    private static string HoldKey(string schema, string table, string column) => PgSql.Literal($"{schema}.{table}.{column}");

    /// <summary>Marks a constraint carried over to a new column that is still to be validated.</summary>
    private const string ValidateMarker = "migrator: validate; was: ";

    /// <summary>The ledger schema and the functions, replaced if there: for `plan --verify`, whose
    /// transaction is rolled back, on a database whose ledger may not exist yet.</summary>
    public static string EnsureSql(string ledgerSchema) =>
        $"CREATE SCHEMA IF NOT EXISTS {PgSql.Ident(ledgerSchema)};\n"
        + FunctionsSql.Replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", StringComparison.Ordinal).Replace("{0}", PgSql.Ident(ledgerSchema), StringComparison.Ordinal);

    /// <summary>The functions, for the ledger layout; {0} is the quoted ledger schema. Every name in them
    /// is qualified and their search_path is pg_catalog, so the caller's session does not matter.</summary>
    public static string FunctionsSql => $$"""
        CREATE FUNCTION {0}.hold_views(target_rel regclass, target_name name, hold text) RETURNS void
        LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $migrator$
        DECLARE
            target_col int2;
            v record;
            ddl text[];
            x record;
            kind text;
        BEGIN
            SELECT attnum INTO target_col FROM pg_attribute WHERE attrelid = target_rel AND attname = target_name AND NOT attisdropped;
            CREATE TEMP TABLE IF NOT EXISTS migrator_held_views (hold text, depth int, ddl text[]) ON COMMIT DROP;
            CREATE TEMP TABLE IF NOT EXISTS migrator_held_checks (hold text, name text, definition text, comment text) ON COMMIT DROP;
            INSERT INTO pg_temp.migrator_held_checks
                SELECT hold, k.conname, pg_get_constraintdef(k.oid), obj_description(k.oid, 'pg_constraint')
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
                INSERT INTO pg_temp.migrator_held_views VALUES (hold, v.depth, ddl);
                EXECUTE format('DROP %s %s', kind, v.name);
            END LOOP;
        END
        $migrator$;

        CREATE FUNCTION {0}.recreate_views(hold text) RETURNS void
        LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $migrator$
        DECLARE
            v record;
            statement text;
        BEGIN
            IF to_regclass('pg_temp.migrator_held_views') IS NULL THEN
                RETURN;
            END IF;
            FOR v IN SELECT h.ddl FROM pg_temp.migrator_held_views h WHERE h.hold = recreate_views.hold ORDER BY h.depth LOOP
                FOREACH statement IN ARRAY v.ddl LOOP
                    EXECUTE statement;
                END LOOP;
            END LOOP;
            DELETE FROM pg_temp.migrator_held_views h WHERE h.hold = recreate_views.hold;
        END
        $migrator$;

        CREATE FUNCTION {0}.recreate_checks(target_rel regclass, hold text) RETURNS void
        LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $migrator$
        DECLARE
            k record;
        BEGIN
            IF to_regclass('pg_temp.migrator_held_checks') IS NULL THEN
                RETURN;
            END IF;
            FOR k IN SELECT h.name, h.definition, h.comment FROM pg_temp.migrator_held_checks h WHERE h.hold = recreate_checks.hold LOOP
                EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s NOT VALID', target_rel, k.name, k.definition);
                EXECUTE format('COMMENT ON CONSTRAINT %I ON %s IS %L', k.name, target_rel, '{{ValidateMarker}}' || coalesce(k.comment, ''));
            END LOOP;
            DELETE FROM pg_temp.migrator_held_checks h WHERE h.hold = recreate_checks.hold;
        END
        $migrator$;

        CREATE FUNCTION {0}.validate_checks(target_rel regclass) RETURNS void
        LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $migrator$
        DECLARE
            k record;
        BEGIN
            FOR k IN SELECT c.conname, substr(obj_description(c.oid, 'pg_constraint'), {{ValidateMarker.Length + 1}}) AS comment
                     FROM pg_constraint c
                     WHERE c.conrelid = target_rel AND starts_with(coalesce(obj_description(c.oid, 'pg_constraint'), ''), '{{ValidateMarker}}') LOOP
                EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', target_rel, k.conname);
                EXECUTE format('COMMENT ON CONSTRAINT %I ON %s IS %L', k.conname, target_rel, nullif(k.comment, ''));
            END LOOP;
        END
        $migrator$;
        """;
}
