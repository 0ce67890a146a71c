using Migrator.Authoring;
using Migrator.Authoring.Operations;

namespace Migrator.Tests.Operations;

/// <summary>
/// Every catalog operation as a scenario: the change (id 2, app 2.0.0) on top of
/// <see cref="ScenarioBase"/>, and the SQL apps 1.0.0 and 2.0.0 run. Expect(reader, writer, write)
/// gives what version <c>reader</c> must read for a row version <c>writer</c> wrote last (null: the
/// reader cannot see it, not checked).
/// </summary>
public static class OperationScenarios
{
    private static readonly VersionSql Plain = new(
        "INSERT INTO items (id, name, qty) VALUES (@id, @v, @n)",
        "UPDATE items SET name = @v WHERE id = @id",
        "SELECT name FROM items WHERE id = @id");

    public static IEnumerable<OperationScenario> All()
    {
        yield return new("AddColumn nullable", typeof(AddNullableColumn),
            Plain,
            new("INSERT INTO items (id, name, qty, color) VALUES (@id, @v, @n, @v)", "UPDATE items SET name = @v, color = @v WHERE id = @id", "SELECT coalesce(color, '-') || ':' || name FROM items WHERE id = @id"),
            (r, w, x) => r == 1 ? x.V : w == 1 ? "-:" + x.V : x.V + ":" + x.V,
            "SELECT count(*) FROM items WHERE color IS NOT NULL AND color <> name");

        yield return new("AddColumn NOT NULL with constant default", typeof(AddConstantDefaultColumn),
            Plain,
            new("INSERT INTO items (id, name, qty, tier) VALUES (@id, @v, @n, @v)", "UPDATE items SET name = @v, tier = @v WHERE id = @id", "SELECT tier || ':' || name FROM items WHERE id = @id"),
            (r, w, x) => r == 1 ? x.V : w == 1 ? "basic:" + x.V : x.V + ":" + x.V,
            "SELECT count(*) FROM items WHERE id <= 2000 AND tier <> 'basic'");

        yield return new("AddColumn NOT NULL with fill", typeof(AddFilledColumn),
            Plain,
            new("INSERT INTO items (id, name, qty, label) VALUES (@id, @v, @n, @a)", "UPDATE items SET name = @v, label = @a WHERE id = @id", "SELECT CASE WHEN label = @a THEN 'mine' WHEN label IS NULL THEN 'null' ELSE 'filled' END || ':' || name FROM items WHERE id = @id"),
            (r, w, x) => r == 1 ? x.V : (w == 1 ? "filled:" : "mine:") + x.V,
            "SELECT count(*) FROM items WHERE id <= 2000 AND label IS DISTINCT FROM upper(name)"
            + " UNION ALL SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'label' AND is_nullable = 'YES'");

        yield return new("AddColumn with volatile default", typeof(AddVolatileDefaultColumn),
            Plain,
            new("INSERT INTO items (id, name, qty) VALUES (@id, @v, @n)", "UPDATE items SET name = @v WHERE id = @id", "SELECT name FROM items WHERE id = @id"),
            (r, w, x) => x.V,
            "SELECT count(*) FROM items WHERE token IS NULL UNION ALL SELECT count(*) - count(DISTINCT token) FROM items");

        yield return new("DropColumn (NOT NULL, filled for the old version)", typeof(DropQtyColumn),
            new("INSERT INTO items (id, name, qty) VALUES (@id, @v, @n)", "UPDATE items SET name = @v, qty = @n WHERE id = @id", "SELECT name || ':' || qty FROM items WHERE id = @id"),
            new("INSERT INTO items (id, name) VALUES (@id, @v)", "UPDATE items SET name = @v WHERE id = @id", "SELECT name FROM items WHERE id = @id"),
            (r, w, x) => r == 2 ? x.V : w == 1 ? x.V + ":" + x.N : x.V + ":0",
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'qty'");

        yield return new("RenameColumn", typeof(RenameNote),
            new("INSERT INTO items (id, name, qty, note) VALUES (@id, @v, @n, @a)", "UPDATE items SET note = @a WHERE id = @id", "SELECT note FROM items WHERE id = @id"),
            new("INSERT INTO items (id, name, qty, remark) VALUES (@id, @v, @n, @a)", "UPDATE items SET remark = @a WHERE id = @id", "SELECT remark FROM items WHERE id = @id"),
            (r, w, x) => x.A,
            "SELECT count(*) FROM items WHERE id <= 2000 AND remark IS DISTINCT FROM CASE WHEN id % 2 = 0 THEN 'note' || id END");

        yield return new("ChangeColumnType int to bigint", typeof(WidenQty),
            new("INSERT INTO items (id, name, qty) VALUES (@id, @v, @n)", "UPDATE items SET qty = @n WHERE id = @id", "SELECT qty::text FROM items WHERE id = @id"),
            new("INSERT INTO items (id, name, qty) VALUES (@id, @v, @n::bigint)", "UPDATE items SET qty = @n::bigint WHERE id = @id", "SELECT qty::text FROM items WHERE id = @id"),
            (r, w, x) => x.N.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "SELECT count(*) FROM items WHERE id <= 2000 AND qty <> id"
            + " UNION ALL SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'qty' AND (data_type <> 'bigint' OR is_nullable = 'YES')");

        yield return new("ChangeColumnType text to jsonb", typeof(PayloadToJsonb),
            new("INSERT INTO items (id, name, qty, payload) VALUES (@id, @v, @n, @j)", "UPDATE items SET payload = @j WHERE id = @id", "SELECT payload FROM items WHERE id = @id"),
            new("INSERT INTO items (id, name, qty, payload) VALUES (@id, @v, @n, @j::jsonb)", "UPDATE items SET payload = @j::jsonb WHERE id = @id", "SELECT payload::text FROM items WHERE id = @id"),
            (r, w, x) => x.J,
            "SELECT count(*) FROM items WHERE id <= 2000 AND (payload->>'n')::int <> id"
            + " UNION ALL SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'payload' AND data_type <> 'jsonb'");

        yield return new("ChangeColumnType varchar narrowing with a check", typeof(NarrowCode),
            new("INSERT INTO items (id, name, qty, code) VALUES (@id, @v, @n, @c)", "UPDATE items SET code = @c WHERE id = @id", "SELECT code FROM items WHERE id = @id"),
            new("INSERT INTO items (id, name, qty, code) VALUES (@id, @v, @n, @c)", "UPDATE items SET code = @c WHERE id = @id", "SELECT code FROM items WHERE id = @id"),
            (r, w, x) => x.C,
            "SELECT count(*) FROM items WHERE id <= 2000 AND code <> 'c' || id"
            + " UNION ALL SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'code' AND character_maximum_length <> 20");

        yield return new("SetNotNull with fill", typeof(NoteNotNull),
            new("INSERT INTO items (id, name, qty, note) VALUES (@id, @v, @n, NULL)", "UPDATE items SET name = @v, note = NULL WHERE id = @id", "SELECT coalesce(note, 'none') || ':' || name FROM items WHERE id = @id"),
            new("INSERT INTO items (id, name, qty, note) VALUES (@id, @v, @n, @a)", "UPDATE items SET name = @v, note = @a WHERE id = @id", "SELECT coalesce(note, 'none') || ':' || name FROM items WHERE id = @id"),
            (r, w, x) => (w == 1 ? "none:" : x.A + ":") + x.V,
            "SELECT count(*) FROM items WHERE note IS NULL"
            + " UNION ALL SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'note' AND is_nullable = 'YES'");

        yield return new("DropNotNull", typeof(QtyNullable),
            new("INSERT INTO items (id, name, qty) VALUES (@id, @v, @n)", "UPDATE items SET name = @v, qty = @n WHERE id = @id", "SELECT name FROM items WHERE id = @id"),
            new("INSERT INTO items (id, name, qty) VALUES (@id, @v, NULL)", "UPDATE items SET name = @v, qty = NULL WHERE id = @id", "SELECT name || ':' || coalesce(qty::text, '-') FROM items WHERE id = @id"),
            (r, w, x) => r == 1 ? x.V : x.V + ":" + (w == 1 ? x.N.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-"),
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'qty' AND is_nullable = 'NO'");

        yield return new("SetDefault", typeof(NoteDefault),
            new("INSERT INTO items (id, name, qty, note) VALUES (@id, @v, @n, @a)", "UPDATE items SET name = @v, note = @a WHERE id = @id", "SELECT coalesce(note, '-') || ':' || name FROM items WHERE id = @id"),
            new("INSERT INTO items (id, name, qty) VALUES (@id, @v, @n)", "UPDATE items SET name = @v WHERE id = @id", "SELECT coalesce(note, '-') || ':' || name FROM items WHERE id = @id"),
            (r, w, x) => (w == 1 ? x.A : "dflt") + ":" + x.V,
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'note' AND column_default IS DISTINCT FROM '''dflt''::text'");

        yield return new("DropDefault", typeof(StatusNoDefault),
            new("INSERT INTO items (id, name, qty) VALUES (@id, @v, @n)", "UPDATE items SET name = @v WHERE id = @id", "SELECT status || ':' || name FROM items WHERE id = @id"),
            new("INSERT INTO items (id, name, qty, status) VALUES (@id, @v, @n, @a)", "UPDATE items SET name = @v, status = @a WHERE id = @id", "SELECT status || ':' || name FROM items WHERE id = @id"),
            (r, w, x) => (w == 1 ? "new" : x.A) + ":" + x.V,
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'status' AND column_default IS NOT NULL");

        yield return new("AddUnique", typeof(UniqueCode),
            new("INSERT INTO items (id, name, qty, code) VALUES (@id, @v, @n, @c)", "UPDATE items SET code = @c WHERE id = @id", "SELECT code FROM items WHERE id = @id"),
            new("INSERT INTO items (id, name, qty, code) VALUES (@id, @v, @n, @c) ON CONFLICT (code) DO NOTHING", "UPDATE items SET code = @c WHERE id = @id", "SELECT code FROM items WHERE id = @id"),
            (r, w, x) => x.C,
            "SELECT 1 - count(*) FROM pg_constraint WHERE conname = 'uq_items_code' AND contype = 'u'");

        yield return new("AddForeignKey", typeof(OwnerForeignKey),
            new("INSERT INTO items (id, name, qty, owner_id) VALUES (@id, @v, @n, @owner)", "UPDATE items SET name = @v, owner_id = @owner WHERE id = @id", "SELECT name || ':' || owner_id FROM items WHERE id = @id"),
            new("INSERT INTO items (id, name, qty, owner_id) VALUES (@id, @v, @n, @owner)", "UPDATE items SET name = @v, owner_id = @owner WHERE id = @id", "SELECT name || ':' || owner_id FROM items WHERE id = @id"),
            (r, w, x) => x.V + ":" + x.Owner,
            "SELECT 1 - count(*) FROM pg_constraint WHERE conname = 'fk_items_owner' AND convalidated");

        yield return new("AddCheck", typeof(QtyCheck),
            new("INSERT INTO items (id, name, qty) VALUES (@id, @v, @n)", "UPDATE items SET qty = @n WHERE id = @id", "SELECT qty::text FROM items WHERE id = @id"),
            new("INSERT INTO items (id, name, qty) VALUES (@id, @v, @n)", "UPDATE items SET qty = @n WHERE id = @id", "SELECT qty::text FROM items WHERE id = @id"),
            (r, w, x) => x.N.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "SELECT 1 - count(*) FROM pg_constraint WHERE conname = 'ck_items_qty' AND convalidated");

        yield return new("CreateIndex", typeof(IndexCode),
            new("INSERT INTO items (id, name, qty, code) VALUES (@id, @v, @n, @c)", "UPDATE items SET code = @c WHERE id = @id", "SELECT code FROM items WHERE id = @id"),
            new("INSERT INTO items (id, name, qty, code) VALUES (@id, @v, @n, @c)", "UPDATE items SET code = @c WHERE id = @id", "SELECT code FROM items WHERE code = @c AND id = @id"),
            (r, w, x) => x.C,
            "SELECT 1 - count(*) FROM pg_index WHERE indexrelid = 'ix_items_code'::regclass AND indisvalid");

        yield return new("DropIndex", typeof(DropNameIndex),
            new("INSERT INTO items (id, name, qty) VALUES (@id, @v, @n)", "UPDATE items SET name = @v WHERE id = @id", "SELECT name FROM items WHERE name = @v AND id = @id"),
            Plain,
            (r, w, x) => x.V,
            "SELECT count(*) FROM pg_class WHERE relname = 'ix_items_name'");

        yield return new("CreateTable", typeof(CreateTags),
            Plain,
            new("INSERT INTO items (id, name, qty) VALUES (@id, @v, @n); INSERT INTO tags (item_id, tag) VALUES (@id, @a)", "UPDATE items SET name = @v WHERE id = @id; UPDATE tags SET tag = @a WHERE item_id = @id", "SELECT i.name || ':' || coalesce(t.tag, '-') FROM items i LEFT JOIN tags t ON t.item_id = i.id WHERE i.id = @id"),
            (r, w, x) => r == 1 ? x.V : x.V + ":" + (w == 1 ? "-" : x.A),
            "SELECT 1 - count(*) FROM pg_class WHERE relname = 'tags'");

        yield return new("DropTable", typeof(DropLegacyNotes),
            new("INSERT INTO items (id, name, qty) VALUES (@id, @v, @n); INSERT INTO legacy_notes (item_id, body) VALUES (@id, @a)", "UPDATE items SET name = @v WHERE id = @id; UPDATE legacy_notes SET body = @a WHERE item_id = @id", "SELECT i.name || ':' || coalesce(l.body, '-') FROM items i LEFT JOIN legacy_notes l ON l.item_id = i.id WHERE i.id = @id"),
            Plain,
            (r, w, x) => r == 2 ? x.V : x.V + ":" + (w == 1 ? x.A : "-"),
            "SELECT count(*) FROM pg_class WHERE relname = 'legacy_notes'")
        {
            Table = "legacy_notes",
        };

        yield return new("RenameTable", typeof(RenameItems),
            Plain,
            new("INSERT INTO articles (id, name, qty) VALUES (@id, @v, @n)", "UPDATE articles SET name = @v WHERE id = @id", "SELECT name || ':' || status FROM articles WHERE id = @id"),
            (r, w, x) => r == 1 ? x.V : x.V + ":new",
            "SELECT count(*) FROM pg_class WHERE relname = 'items' UNION ALL SELECT 2000 - count(*) FROM articles WHERE id <= 2000");

        yield return new("SplitColumn", typeof(SplitName),
            new("INSERT INTO items (id, name, qty) VALUES (@id, @ab, @n)", "UPDATE items SET name = @ab WHERE id = @id", "SELECT name FROM items WHERE id = @id"),
            new("INSERT INTO items (id, first_name, last_name, qty) VALUES (@id, @a, @b, @n)", "UPDATE items SET first_name = @a, last_name = @b WHERE id = @id", "SELECT first_name || ' ' || last_name FROM items WHERE id = @id"),
            (r, w, x) => x.AB,
            "SELECT count(*) FROM items WHERE id <= 2000 AND (first_name <> 'a' || id OR last_name <> 'b' || id)"
            + " UNION ALL SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND (column_name = 'name' OR (column_name = 'first_name' AND is_nullable = 'YES'))");

        yield return new("MergeColumns", typeof(MergeGivenFamily),
            new("INSERT INTO items (id, name, qty, given, family) VALUES (@id, @v, @n, @a, @b)", "UPDATE items SET given = @a, family = @b WHERE id = @id", "SELECT given || ' ' || family FROM items WHERE id = @id"),
            new("INSERT INTO items (id, name, qty, display_name) VALUES (@id, @v, @n, @ab)", "UPDATE items SET display_name = @ab WHERE id = @id", "SELECT display_name FROM items WHERE id = @id"),
            (r, w, x) => x.AB,
            "SELECT count(*) FROM items WHERE id <= 2000 AND display_name <> 'a' || id || ' b' || id"
            + " UNION ALL SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name IN ('given', 'family')");

        yield return new("SqlScript with a down script", typeof(ScriptedIndex),
            Plain,
            Plain,
            (r, w, x) => x.V,
            "SELECT 1 - count(*) FROM pg_class WHERE relname = 'ix_items_qty'");
    }

    [Change(2, "add items.color", AppVersion = "2.0.0")]
    public sealed class AddNullableColumn : Change
    {
        public AddNullableColumn() => AddColumn("items", "color", "text");
    }

    [Change(2, "add items.tier NOT NULL DEFAULT 'basic'", AppVersion = "2.0.0")]
    public sealed class AddConstantDefaultColumn : Change
    {
        public AddConstantDefaultColumn() => AddColumn("items", "tier", "text", nullable: false, defaultSql: "'basic'");
    }

    [Change(2, "add items.label NOT NULL filled from upper(name)", AppVersion = "2.0.0")]
    public sealed class AddFilledColumn : Change
    {
        public AddFilledColumn() => AddColumn("items", "label", "text", nullable: false, fill: "upper(name)");
    }

    [Change(2, "add items.token uuid NOT NULL DEFAULT gen_random_uuid()", AppVersion = "2.0.0")]
    public sealed class AddVolatileDefaultColumn : Change
    {
        public AddVolatileDefaultColumn() => AddColumn("items", "token", "uuid", nullable: false, defaultSql: "gen_random_uuid()");
    }

    [Change(2, "drop items.qty", AppVersion = "2.0.0")]
    public sealed class DropQtyColumn : Change
    {
        public DropQtyColumn() => DropColumn("items", "qty", down: "0");
    }

    [Change(2, "rename items.note to remark", AppVersion = "2.0.0")]
    public sealed class RenameNote : Change
    {
        public RenameNote() => RenameColumn("items", "note", "remark");
    }

    [Change(2, "items.qty to bigint", AppVersion = "2.0.0")]
    public sealed class WidenQty : Change
    {
        public WidenQty() => ChangeColumnType("items", "qty", "bigint");
    }

    [Change(2, "items.payload to jsonb", AppVersion = "2.0.0")]
    public sealed class PayloadToJsonb : Change
    {
        public PayloadToJsonb() => ChangeColumnType("items", "payload", "jsonb", up: "payload::jsonb", down: "payload::text");
    }

    [Change(2, "items.code to varchar(20)", AppVersion = "2.0.0")]
    public sealed class NarrowCode : Change
    {
        public NarrowCode() => ChangeColumnType("items", "code", "varchar(20)");
    }

    [Change(2, "items.note NOT NULL", AppVersion = "2.0.0")]
    public sealed class NoteNotNull : Change
    {
        public NoteNotNull() => SetNotNull("items", "note", fill: "'none'");
    }

    [Change(2, "items.qty nullable", AppVersion = "2.0.0")]
    public sealed class QtyNullable : Change
    {
        public QtyNullable() => DropNotNull("items", "qty", rollbackFill: "0");
    }

    [Change(2, "items.note default 'dflt'", AppVersion = "2.0.0")]
    public sealed class NoteDefault : Change
    {
        public NoteDefault() => SetDefault("items", "note", "'dflt'");
    }

    [Change(2, "items.status without default", AppVersion = "2.0.0")]
    public sealed class StatusNoDefault : Change
    {
        public StatusNoDefault() => DropDefault("items", "status");
    }

    [Change(2, "unique items.code", AppVersion = "2.0.0")]
    public sealed class UniqueCode : Change
    {
        public UniqueCode() => AddUnique("items", "uq_items_code", ["code"]);
    }

    [Change(2, "items.owner_id references owners", AppVersion = "2.0.0")]
    public sealed class OwnerForeignKey : Change
    {
        public OwnerForeignKey() => AddForeignKey("items", "fk_items_owner", ["owner_id"], "owners", ["id"]);
    }

    [Change(2, "items.qty >= 0", AppVersion = "2.0.0")]
    public sealed class QtyCheck : Change
    {
        public QtyCheck() => AddCheck("items", "ck_items_qty", "qty >= 0", ["qty"]);
    }

    [Change(2, "index items.code", AppVersion = "2.0.0")]
    public sealed class IndexCode : Change
    {
        public IndexCode() => CreateIndex("items", "ix_items_code", ["code"]);
    }

    [Change(2, "drop index ix_items_name", AppVersion = "2.0.0")]
    public sealed class DropNameIndex : Change
    {
        public DropNameIndex() => DropIndex("items", "ix_items_name");
    }

    [Change(2, "create tags", AppVersion = "2.0.0")]
    public sealed class CreateTags : Change
    {
        public CreateTags() => CreateTable("tags", t => t
            .WithColumn("item_id").AsInt64().PrimaryKey()
            .WithColumn("tag").AsCustom("text").NotNullable());
    }

    [Change(2, "drop legacy_notes", AppVersion = "2.0.0")]
    public sealed class DropLegacyNotes : Change
    {
        public DropLegacyNotes() => DropTable("legacy_notes");
    }

    [Change(2, "rename items to articles", AppVersion = "2.0.0")]
    public sealed class RenameItems : Change
    {
        public RenameItems() => RenameTable("items", "articles");
    }

    [Change(2, "split items.name", AppVersion = "2.0.0")]
    public sealed class SplitName : Change
    {
        public SplitName() => SplitColumn("items", "name",
            [new NewColumn("first_name", "text", "split_part(name, ' ', 1)", Nullable: false), new NewColumn("last_name", "text", "substr(name, length(split_part(name, ' ', 1)) + 2)")],
            down: "first_name || ' ' || last_name");
    }

    [Change(2, "merge items.given and family", AppVersion = "2.0.0")]
    public sealed class MergeGivenFamily : Change
    {
        public MergeGivenFamily() => MergeColumns("items", ["given", "family"],
            new NewColumn("display_name", "text", "given || ' ' || family"),
            new Dictionary<string, string>
            {
                ["given"] = "split_part(display_name, ' ', 1)",
                ["family"] = "substr(display_name, length(split_part(display_name, ' ', 1)) + 2)",
            });
    }

    [Change(2, "index items.qty by script", AppVersion = "2.0.0")]
    public sealed class ScriptedIndex : Change
    {
        public ScriptedIndex() => Sql(Phase.Expand,
            "CREATE INDEX CONCURRENTLY ix_items_qty ON items (qty)",
            down: "DROP INDEX CONCURRENTLY IF EXISTS ix_items_qty");
    }
}
