using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Migrator.Tests.Dialects;

/// <summary>Reading generated T-SQL back with ScriptDom: parse errors, and the nodes of one kind.</summary>
internal static class TSqlTree
{
    public static IList<ParseError> Parse(string sql, out TSqlFragment fragment)
    {
        fragment = new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out IList<ParseError> errors);
        return errors;
    }

    public static IEnumerable<T> Find<T>(TSqlFragment fragment)
        where T : TSqlFragment
    {
        var visitor = new Collector<T>();
        fragment.Accept(visitor);
        return visitor.Found;
    }

    private sealed class Collector<T> : TSqlFragmentVisitor
        where T : TSqlFragment
    {
        public List<T> Found { get; } = [];

        public override void Visit(TSqlFragment fragment)
        {
            if (fragment is T found)
            {
                Found.Add(found);
            }
        }
    }
}
