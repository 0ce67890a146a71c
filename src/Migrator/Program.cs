using Migrator.Cli;

return await MigratorCli.RunAsync(args);
