
namespace Migrator.Dialects.Postgres;

/// <summary>
/// The ledger's own tables, as numbered layout versions. A database is brought to the newest layout on
/// first use; a later release appends a version here and older ledgers are migrated in place.
/// </summary>
public static class LedgerLayout
{
    /// <summary>The layout this release writes.</summary>
    public static int Current => Versions.Count;

    /// <summary>Statements of each layout version; index 0 is version 1. {0} is the quoted schema.</summary>
    private static readonly IReadOnlyList<string> Versions =
    [
        """
        CREATE TABLE {0}.changes (
            change_id    bigint PRIMARY KEY,
            description  text NOT NULL,
            app_version  text NOT NULL,
            first_seen   timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE {0}.phases (
            change_id    bigint NOT NULL REFERENCES {0}.changes (change_id),
            phase        text NOT NULL CHECK (phase IN ('expand', 'backfill', 'contract')),
            status       text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
            checksum     text NOT NULL,
            steps        jsonb NOT NULL DEFAULT '[]',
            steps_done   int NOT NULL DEFAULT 0,
            started_at   timestamptz NOT NULL DEFAULT now(),
            finished_at  timestamptz,
            error        text,
            PRIMARY KEY (change_id, phase)
        );
        CREATE TABLE {0}.deployments (
            id            bigserial PRIMARY KEY,
            app_version   text NOT NULL,
            slot          text,
            usage         jsonb,
            registered_at timestamptz NOT NULL DEFAULT now(),
            retired_at    timestamptz
        );
        CREATE UNIQUE INDEX deployments_live ON {0}.deployments (app_version) WHERE retired_at IS NULL;
        CREATE TABLE {0}.backfill_checkpoints (
            change_id    bigint NOT NULL REFERENCES {0}.changes (change_id),
            table_name   text NOT NULL,
            last_key     text,
            rows_done    bigint NOT NULL DEFAULT 0,
            passes       int NOT NULL DEFAULT 0,
            started_at   timestamptz NOT NULL DEFAULT now(),
            updated_at   timestamptz NOT NULL DEFAULT now(),
            completed_at timestamptz,
            PRIMARY KEY (change_id, table_name)
        );
        CREATE TABLE {0}.history (
            id           bigserial PRIMARY KEY,
            at           timestamptz NOT NULL DEFAULT now(),
            actor        text NOT NULL DEFAULT current_user,
            host         text,
            command      text NOT NULL,
            change_id    bigint,
            outcome      text NOT NULL,
            detail       text
        );
        """,
        """
        ALTER TABLE {0}.phases DROP CONSTRAINT phases_phase_check,
            ADD CONSTRAINT phases_phase_check CHECK (phase IN ('expand', 'backfill', 'contract', 'rollback'));
        """,
        """
        CREATE TABLE {0}.backfill_ranges (
            change_id    bigint NOT NULL REFERENCES {0}.changes (change_id),
            table_name   text NOT NULL,
            range_no     int NOT NULL,
            low_key      text,
            high_key     text,
            last_key     text,
            rows_done    bigint NOT NULL DEFAULT 0,
            done         boolean NOT NULL DEFAULT false,
            claimed_by   text,
            heartbeat    timestamptz,
            done_by      text,
            PRIMARY KEY (change_id, table_name, range_no)
        );
        """,
        """
        CREATE TABLE {0}.owned_objects (
            change_id    bigint NOT NULL REFERENCES {0}.changes (change_id),
            identity     text NOT NULL,
            how          text NOT NULL CHECK (how IN ('created', 'renamed', 'building')),
            description  text NOT NULL,
            phase        text NOT NULL,
            recorded_at  timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (change_id, identity)
        );
        """,
        """
        CREATE TABLE {0}.baseline (
            id           int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
            checksum     text NOT NULL,
            file         text NOT NULL,
            taken_at     timestamptz NOT NULL DEFAULT now(),
            taken_by     text NOT NULL DEFAULT current_user,
            snapshot     text NOT NULL
        );
        CREATE TABLE {0}.schema_state (
            id           int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
            recorded_at  timestamptz NOT NULL DEFAULT now(),
            after        text NOT NULL,
            snapshot     text NOT NULL
        );
        """ + HeldViews.FunctionsSql,
        """
        ALTER TABLE {0}.phases DROP CONSTRAINT phases_status_check,
            ADD CONSTRAINT phases_status_check CHECK (status IN ('running', 'done', 'failed', 'stopped'));
        """,
        """
        CREATE TABLE {0}.holds (
            id           bigserial PRIMARY KEY,
            name         text NOT NULL,
            change_id    bigint REFERENCES {0}.changes (change_id),
            reason       text,
            placed_at    timestamptz NOT NULL DEFAULT now(),
            placed_by    text NOT NULL DEFAULT current_user,
            released_at  timestamptz
        );
        CREATE UNIQUE INDEX holds_active ON {0}.holds (name) WHERE released_at IS NULL;
        """,
        """
        CREATE TABLE {0}.backfill_pacing (
            change_id    bigint NOT NULL REFERENCES {0}.changes (change_id),
            table_name   text NOT NULL,
            duty         float8 NOT NULL,
            app_seen_at  timestamptz,
            updated_at   timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (change_id, table_name)
        );
        """,
    ];

    /// <summary>The first layout with holds.</summary>
    public const int WithHolds = 7;

    /// <summary>The first layout with the baseline and schema_state tables.</summary>
    public const int WithBaseline = 5;

    /// <summary>SQL that takes a ledger from <paramref name="from"/> to <see cref="Current"/>.</summary>
    public static IEnumerable<(int Version, string Sql)> Upgrades(string schema, int from)
    {
        string quoted = PgSql.Ident(schema);
        for (int v = from; v < Versions.Count; v++)
        {
            yield return (v + 1, Versions[v].Replace("{0}", quoted, StringComparison.Ordinal));
        }
    }
}
