namespace NeXChange.Silo.Commands;

/// <summary>An option of an operator command: <c>--name &lt;value&gt;</c> (or <c>--name=value</c>) when it has a <see cref="ValueName"/>.</summary>
public sealed record CommandOption(string Name, string? ValueName, string Description, bool Required = false);

/// <summary>A command line the operator got wrong: the message goes to stderr with the usage, exit 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The options given to a command, checked against the ones it declares: anything else is refused rather than
/// ignored, so a mistyped option never runs the command with a default the operator did not mean.
/// </summary>
public sealed class CommandArguments
{
    public static readonly string[] HelpSwitches = ["--help", "-h"];

    private readonly Dictionary<string, string> values;

    private CommandArguments(Dictionary<string, string> values) => this.values = values;

    public static bool AsksForHelp(IEnumerable<string> args) => args.Any(a => HelpSwitches.Contains(a));

    public static CommandArguments Parse(IReadOnlyList<string> args, IReadOnlyList<CommandOption> options)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = args[i].IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (args[i][..eq], args[i][(eq + 1)..]) : (args[i], null);
            var option = options.FirstOrDefault(o => o.Name == name)
                ?? throw new UsageException(name.StartsWith('-') ? $"unknown option '{name}'" : $"unexpected argument '{args[i]}'");
            if (values.ContainsKey(name)) throw new UsageException($"option '{name}' given twice");
            if (option.ValueName is null)
            {
                if (inline is not null) throw new UsageException($"option '{name}' takes no value");
                values[name] = "";
                continue;
            }
            var value = inline ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null);
            values[name] = value ?? throw new UsageException($"option '{name}' needs a value: {name} <{option.ValueName}>");
        }
        if (options.FirstOrDefault(o => o.Required && !values.ContainsKey(o.Name)) is { } missing)
            throw new UsageException($"missing option {missing.Name} <{missing.ValueName}>");
        return new CommandArguments(values);
    }

    /// <summary>The value of an option the command declared; null when it was not given.</summary>
    public string? Value(string name) => values.GetValueOrDefault(name);
}
