using Microsoft.EntityFrameworkCore;
using Migrator.Tests.Infrastructure;
using V1 = EfShop.V1;

namespace Migrator.Tests.Adoption;

/// <summary>
/// Adopting a database EF Core built: app 1.0.0 of the ef-shop sample applied its own migrations with
/// EF Core (`Database.Migrate()`, which writes __EFMigrationsHistory). `baseline` reads the schema and
/// the newest migration EF applied; from then on that migration and the ones before it are part of the
/// baseline, and only the later ones, marked [AppVersion], are changes Migrator runs.
/// </summary>
public sealed class EfCoreAdoptionTests : DatabaseTest
{
    [Test]
    public async Task The_migrations_EF_already_applied_are_the_baseline_and_the_next_one_runs_in_phases()
    {
        await using (var db = new V1.ShopContext(new DbContextOptionsBuilder<V1.ShopContext>().UseNpgsql(ConnectionString).Options))
        {
            await db.Database.MigrateAsync();
        }

        var v1 = new V1.CustomerStore(ConnectionString);
        long id = await v1.CreateAsync("Ada", "ada@example.com", 12.5m);

        string dir = Directory.CreateTempSubdirectory("migrator-ef-adopt-").FullName;
        try
        {
            string config = Path.Combine(dir, "migrator.json");
            await File.WriteAllTextAsync(config, "{ \"migrations\": \"" + typeof(EfShop.V2.ShopContext).Assembly.Location + "\" }");
            Task<CliResult> Cli(params string[] args) => CliRunner.RunAsync([.. args, "--config", config, "--connection", ConnectionString]);

            var baseline = await Cli("baseline");
            Assert.That(baseline.ExitCode, Is.EqualTo(0), baseline.ToString());
            string initial = typeof(EfShop.V2.Migrations.Initial).GetCustomAttributes(false).OfType<Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute>().Single().Id;
            Assert.That(await File.ReadAllTextAsync(Path.Combine(dir, "migrator-baseline.json")), Does.Contain($"\"efCoreMigrationsThrough\": \"{initial}\""));

            var plan = await Cli("plan");
            Assert.That(plan.ExitCode, Is.EqualTo(0), plan.ToString());
            Assert.That(plan.Output, Does.Contain("RenameEmail").And.Not.Contain("CREATE TABLE"), "only the migration EF has not applied is a change");

            var expand = await Cli("expand");
            Assert.That(expand.ExitCode, Is.EqualTo(0), expand.ToString());
            var backfill = await Cli("backfill");
            Assert.That(backfill.ExitCode, Is.EqualTo(0), backfill.ToString());
            Assert.That(await new EfShop.V2.CustomerStore(ConnectionString).EmailAsync(id), Is.EqualTo("ada@example.com"), "2.0.0 reads the row 1.0.0 wrote before adoption");
            Assert.That(await v1.EmailAsync(id), Is.EqualTo("ada@example.com"), "1.0.0 still works");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
