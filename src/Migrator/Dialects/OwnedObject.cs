namespace Migrator.Dialects;

/// <summary>What kind of database object an <see cref="OwnedObject"/> names.</summary>
public enum OwnedObjectKind
{
    /// <summary>A table, view, materialized view, index or sequence: <c>Schema.Name</c>.</summary>
    Relation,

    /// <summary>A column <c>Name</c> of the relation <c>Schema.Table</c>.</summary>
    Column,

    /// <summary>A constraint <c>Name</c> on the relation <c>Schema.Table</c>.</summary>
    Constraint,

    /// <summary>A trigger <c>Name</c> on the relation <c>Schema.Table</c>.</summary>
    Trigger,

    /// <summary>A function <c>Schema.Name()</c> without arguments (Migrator's trigger functions).</summary>
    Function,

    /// <summary>A schema <c>Name</c>.</summary>
    Schema,
}

/// <summary>
/// A database object named the way a rollback statement names it. A rollback statement that drops or
/// renames back an object carries it as its guard: the statement runs only when the ledger proves the
/// change created (or renamed) that very object, never on the strength of its name alone.
/// </summary>
public sealed record OwnedObject(OwnedObjectKind Kind, string Schema, string Name, string? Table = null)
{
    public static OwnedObject Relation(string schema, string name) => new(OwnedObjectKind.Relation, schema, name);

    public static OwnedObject Column(string schema, string table, string column) => new(OwnedObjectKind.Column, schema, column, table);

    public static OwnedObject Constraint(string schema, string table, string name) => new(OwnedObjectKind.Constraint, schema, name, table);

    public static OwnedObject Trigger(string schema, string table, string name) => new(OwnedObjectKind.Trigger, schema, name, table);

    public static OwnedObject Function(string schema, string name) => new(OwnedObjectKind.Function, schema, name);

    public static OwnedObject SchemaNamed(string name) => new(OwnedObjectKind.Schema, name, name);

    public override string ToString() => Kind switch
    {
        OwnedObjectKind.Relation => $"relation {Schema}.{Name}",
        OwnedObjectKind.Column => $"column {Schema}.{Table}.{Name}",
        OwnedObjectKind.Constraint => $"constraint {Name} on {Schema}.{Table}",
        OwnedObjectKind.Trigger => $"trigger {Name} on {Schema}.{Table}",
        OwnedObjectKind.Function => $"function {Schema}.{Name}()",
        _ => $"schema {Name}",
    };
}
