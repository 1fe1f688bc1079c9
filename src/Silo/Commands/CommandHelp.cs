using System.Text;

namespace NeXChange.Silo.Commands;

/// <summary>The text of <c>help</c> (the list of commands) and of a command's <c>--help</c>.</summary>
public static class CommandHelp
{
    public const string Program = "NeXChange.Silo";

    private const int Width = 100;

    public static string List()
    {
        var text = new StringBuilder()
            .AppendLine($"Usage: {Program} <command> [options]")
            .AppendLine()
            .AppendLine("Without arguments the silo starts and joins the cluster. The commands work on the database (and Redis)")
            .AppendLine("only, never join the cluster, and take their settings from the NEXCHANGE__* environment, as the silo does.")
            .AppendLine()
            .AppendLine("Commands:");
        var width = OperatorCommands.All.Max(c => c.Name.Length) + 2;
        foreach (var command in OperatorCommands.All) text.AppendLine($"  {command.Name.PadRight(width)}{command.Summary}");
        text.AppendLine($"  {"help".PadRight(width)}This list; 'help <command>' or '<command> --help' for a command's options")
            .AppendLine()
            .Append(Wrap(ExitCodes.Description));
        return text.ToString();
    }

    public static string For(OperatorCommand command)
    {
        var text = new StringBuilder()
            .AppendLine($"Usage: {Program} {command.Synopsis}")
            .AppendLine()
            .Append(Wrap(command.Description))
            .AppendLine()
            .AppendLine("Options:");
        var rows = command.Options
            .Select(o => (Flag: o.ValueName is null ? o.Name : $"{o.Name} <{o.ValueName}>", Text: o.Required ? $"{o.Description} (required)" : o.Description))
            .Append((Flag: "-h, --help", Text: "show this help"))
            .ToList();
        var width = rows.Max(r => r.Flag.Length) + 2;
        foreach (var (flag, description) in rows) text.AppendLine($"  {flag.PadRight(width)}{description}");
        return text.AppendLine().Append(Wrap(ExitCodes.Description)).ToString();
    }

    /// <summary>The paragraph in lines of at most <see cref="Width"/> characters, broken between words.</summary>
    private static string Wrap(string paragraph)
    {
        var text = new StringBuilder();
        var line = new StringBuilder();
        foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > Width)
            {
                text.AppendLine(line.ToString());
                line.Clear();
            }
            line.Append(line.Length > 0 ? " " : "").Append(word);
        }
        return text.AppendLine(line.ToString()).ToString();
    }
}
