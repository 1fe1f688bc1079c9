using System.Text;

namespace NeXChange.Items.Safety;

/// <summary>
/// Reads the local recall list: CSV with the header <c>brand,model,recallId,title,recallDate</c> (columns found by
/// name, any case, so an operator's extra or reordered columns do no harm), fields optionally in double quotes
/// with <c>""</c> for a quote and commas or line breaks inside. <c>title</c> and <c>recallDate</c> are for people
/// reading the file. A row that cannot be read makes the whole file unreadable rather than silently shorter: a
/// dropped row would turn a recalled item "clear".
/// </summary>
public static class RecallListCsv
{
    public static RecallList Parse(TextReader reader)
    {
        using var records = Records(reader).GetEnumerator();
        if (!records.MoveNext()) throw new FormatException("The recall list is empty: it needs the header brand,model,recallId,title,recallDate.");
        var header = records.Current.Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        var brand = Column(header, "brand");
        var model = Column(header, "model");
        var recallId = Column(header, "recallid");

        var rows = new List<RecallList.Row>();
        while (records.MoveNext())
        {
            var (line, fields) = records.Current;
            if (fields is [""]) continue;
            if (fields.Count != header.Count)
                throw new FormatException($"Recall list line {line}: {fields.Count} fields where the header has {header.Count}.");
            var row = new RecallList.Row(fields[brand].Trim(), fields[model].Trim(), fields[recallId].Trim());
            if (row.Brand.Length == 0 || row.RecallId.Length == 0)
                throw new FormatException($"Recall list line {line}: brand and recallId must not be empty.");
            rows.Add(row);
        }
        return new RecallList(rows);
    }

    private static int Column(List<string> header, string name) =>
        header.IndexOf(name) is var index and >= 0
            ? index
            : throw new FormatException($"The recall list header has no '{name}' column (expected brand,model,recallId,title,recallDate).");

    /// <summary>RFC 4180 records with the line each starts on; a line break inside quotes stays in the field.</summary>
    private static IEnumerable<(int Line, List<string> Fields)> Records(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var start = 1;
        var quoted = false;
        var any = false;
        for (var c = reader.Read(); c != -1; c = reader.Read())
        {
            any = true;
            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { field.Append('"'); reader.Read(); }
                    else quoted = false;
                }
                else
                {
                    if (ch == '\n') line++;
                    field.Append(ch);
                }
                continue;
            }
            switch (ch)
            {
                case '"' when field.ToString().Trim().Length == 0:
                    field.Clear();
                    quoted = true;
                    break;
                case '"':
                    throw new FormatException($"Recall list line {line}: a quote inside an unquoted field.");
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\r' or '\n':
                    fields.Add(field.ToString());
                    yield return (start, fields);
                    fields = [];
                    field.Clear();
                    any = false;
                    start = ++line;
                    break;
                default:
                    field.Append(ch);
                    break;
            }
        }
        if (quoted) throw new FormatException($"Recall list line {start}: a quoted field is not closed.");
        if (any)
        {
            fields.Add(field.ToString());
            yield return (start, fields);
        }
    }
}
