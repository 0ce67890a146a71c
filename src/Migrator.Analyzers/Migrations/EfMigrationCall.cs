using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Migrator.Analyzers.Migrations
{
    /// <summary>
    /// One <c>migrationBuilder.X(…)</c> call in an EF Core migration's <c>Up</c> (what `dotnet ef migrations add`
    /// writes; it runs while the previous app version is live). The migration rules judge these beside
    /// FluentMigrator's expressions, under the same ids. <c>Down</c> is a rollback and is not judged, and
    /// neither is a migration marked <c>[AppVersion]</c>, which Migrator runs in phases.
    /// </summary>
    public sealed class EfMigrationCall
    {
        public const string MigrationType = "Microsoft.EntityFrameworkCore.Migrations.Migration";
        public const string BuilderType = "Microsoft.EntityFrameworkCore.Migrations.MigrationBuilder";

        /// <summary>Marks a migration Migrator runs as a phased change (docs/efcore.md): its renames,
        /// drops and index builds become expand/backfill/contract, so the rules do not flag them.</summary>
        public const string AppVersionType = "Migrator.Authoring.AppVersionAttribute";

        private readonly IInvocationOperation _invocation;
        private readonly System.Action<Diagnostic> _report;
        private readonly string? _docsUrl;

        private EfMigrationCall(IInvocationOperation invocation, System.Action<Diagnostic> report, string? docsUrl)
        {
            _invocation = invocation;
            _report = report;
            _docsUrl = docsUrl;
        }

        /// <summary>The MigrationBuilder method called (RenameColumn, DropTable, CreateIndex …).</summary>
        public string Name => _invocation.TargetMethod.Name;

        /// <summary>The calls on MigrationBuilder in an <c>Up</c> method of a type deriving from EF's Migration.</summary>
        internal static System.Collections.Generic.IEnumerable<EfMigrationCall> In(MethodDeclarationSyntax up, SemanticModel model, INamedTypeSymbol migration, System.Action<Diagnostic> report, string? docsUrl, System.Threading.CancellationToken cancellation)
        {
            if (up.Identifier.Text != "Up" || !(model.GetDeclaredSymbol(up, cancellation) is IMethodSymbol method) || !DerivesFrom(method.ContainingType, migration)
                || method.ContainingType.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == AppVersionType))
            {
                yield break;
            }

            foreach (var call in up.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (model.GetOperation(call, cancellation) is IInvocationOperation invocation && invocation.TargetMethod.ContainingType?.ToDisplayString() == BuilderType)
                {
                    yield return new EfMigrationCall(invocation, report, docsUrl);
                }
            }
        }

        /// <summary>A string argument's constant value, by parameter name.</summary>
        public string? Text(string parameter) =>
            _invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == parameter && a.ArgumentKind == ArgumentKind.Explicit)?.Value.ConstantValue is { HasValue: true, Value: string value }
                ? value
                : null;

        /// <summary>An index built without blocking writes: EF's <c>Npgsql:CreatedConcurrently</c> or
        /// <c>SqlServer:Online</c> annotation set to true on the operation.</summary>
        public bool BuiltOnline
        {
            get
            {
                for (SyntaxNode node = _invocation.Syntax; node.Parent is MemberAccessExpressionSyntax member && member.Parent is InvocationExpressionSyntax next; node = next)
                {
                    if (member.Name.Identifier.Text == "Annotation" && next.ArgumentList.Arguments.Count == 2
                        && next.ArgumentList.Arguments[0].Expression is LiteralExpressionSyntax name
                        && (name.Token.ValueText == "Npgsql:CreatedConcurrently" || name.Token.ValueText == "SqlServer:Online")
                        && next.ArgumentList.Arguments[1].Expression.IsKind(SyntaxKind.TrueLiteralExpression))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        /// <summary>True when the same <c>Up</c> creates <paramref name="table"/> (no app version uses it yet).</summary>
        public bool CreatesTable(string table)
        {
            var method = _invocation.Syntax.FirstAncestorOrSelf<MethodDeclarationSyntax>();
            return method != null && method.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(call =>
                call.Expression is MemberAccessExpressionSyntax access && access.Name.Identifier.Text == "CreateTable"
                && call.ArgumentList.Arguments.Any(a => a.NameColon?.Name.Identifier.Text == "name" && a.Expression is LiteralExpressionSyntax l && l.Token.ValueText == table));
        }

        public void Report(DiagnosticDescriptor rule, params object[] args) =>
            _report(Diagnostic.Create(RuleDocs.For(rule, _docsUrl), _invocation.Syntax.GetLocation(), args));

        private static bool DerivesFrom(INamedTypeSymbol? type, INamedTypeSymbol baseType)
        {
            for (var current = type?.BaseType; current != null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current, baseType))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
