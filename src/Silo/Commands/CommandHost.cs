using Microsoft.Extensions.Logging.Console;
using NeXChange.Silo.Hosting;

namespace NeXChange.Silo.Commands;

/// <summary>
/// The host of the operator commands: the silo's configuration and services, but no Orleans, so a command works
/// whether or not a cluster is running and never joins it. Logs go to stderr, so stdout carries only the command's
/// own output (the reconciliation JSON can be piped).
/// </summary>
public static class CommandHost
{
    public static IHost Build(string[] args, Action<HostApplicationBuilder>? configure = null)
    {
        var builder = SiloHost.CreateBuilder(args, configure);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        foreach (var command in OperatorCommands.All) builder.Services.AddTransient(command.Implementation);
        return builder.Build();
    }
}
