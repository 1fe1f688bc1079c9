namespace NeXChange.Silo.Commands;

/// <summary>Where a command writes its result (stdout), its messages (stderr), and how it reads a password.</summary>
public sealed record CommandConsole(TextWriter Output, TextWriter Error, Func<string?> ReadPassword);

/// <summary>An operator command, resolved from the <see cref="CommandHost"/> once its arguments have been checked.</summary>
public interface IOperatorCommand
{
    Task<int> RunAsync(CommandArguments arguments, CommandConsole console);
}

/// <summary>What <c>help</c> and the argument check know of a command, before any host is built.</summary>
public sealed record OperatorCommand(string Name, string Summary, string Description, IReadOnlyList<CommandOption> Options, Type Implementation)
{
    public string Synopsis => string.Join(' ', Options
        .Select(o => o.ValueName is null ? o.Name : $"{o.Name} <{o.ValueName}>")
        .Select((o, i) => Options[i].Required ? o : $"[{o}]")
        .Prepend(Name));
}
