namespace NeXChange.Silo.Hosting;

/// <summary>Brings the schema up to date before the silo joins the cluster (registered ahead of Orleans).</summary>
public sealed class MigrateOnStart(Migrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
