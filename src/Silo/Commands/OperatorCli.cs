using Microsoft.Extensions.Hosting;

namespace NeXChange.Silo.Commands;

/// <summary>
/// Runs one operator command line (the process arguments after the executable): <c>help</c>, or a command whose
/// arguments are checked before any host is built, so a usage error or <c>--help</c> needs no settings and no store.
/// Exit codes: <see cref="ExitCodes"/>.
/// </summary>
public sealed class OperatorCli(Func<IHost> buildHost, CommandConsole console)
{
    public async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var word = args.Count > 0 ? args[0] : "help";
        var rest = args.Skip(1).ToList();
        if (word == "help" || CommandArguments.HelpSwitches.Contains(word)) return await HelpAsync(rest);
        if (OperatorCommands.Find(word) is not { } command)
            return await UsageErrorAsync($"unknown command '{word}'", CommandHelp.List());
        if (CommandArguments.AsksForHelp(rest))
        {
            await console.Output.WriteAsync(CommandHelp.For(command));
            return ExitCodes.Ok;
        }
        CommandArguments arguments;
        try
        {
            arguments = CommandArguments.Parse(rest, command.Options);
        }
        catch (UsageException e)
        {
            return await UsageErrorAsync($"{command.Name}: {e.Message}", CommandHelp.For(command));
        }
        return await RunAsync(command, arguments);
    }

    private async Task<int> RunAsync(OperatorCommand command, CommandArguments arguments)
    {
        IHost? host = null;
        try
        {
            host = buildHost();
            var implementation = (IOperatorCommand)host.Services.GetRequiredService(command.Implementation);
            return await implementation.RunAsync(arguments, console);
        }
        catch (Exception e)
        {
            // A store that is down or a missing setting: one line for the operator, the details in the log.
            host?.Services.GetRequiredService<ILogger<OperatorCli>>().LogError(e, "Command {Command} failed", command.Name);
            await console.Error.WriteLineAsync($"error: {command.Name} could not run: {e.Message}");
            return ExitCodes.CouldNotRun;
        }
        finally
        {
            host?.Dispose();
        }
    }

    private async Task<int> HelpAsync(List<string> rest)
    {
        if (rest.Count == 0)
        {
            await console.Output.WriteAsync(CommandHelp.List());
            return ExitCodes.Ok;
        }
        if (rest.Count == 1 && OperatorCommands.Find(rest[0]) is { } command)
        {
            await console.Output.WriteAsync(CommandHelp.For(command));
            return ExitCodes.Ok;
        }
        return await UsageErrorAsync($"help: unknown command '{string.Join(' ', rest)}'", CommandHelp.List());
    }

    private async Task<int> UsageErrorAsync(string message, string usage)
    {
        await console.Error.WriteLineAsync($"error: {message}");
        await console.Error.WriteLineAsync();
        await console.Error.WriteAsync(usage);
        return ExitCodes.Usage;
    }
}
