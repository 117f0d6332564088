using System.Globalization;

namespace HyperLaws.Readers.Internal;

/// <summary>
/// Minimal CSV for the run logs: comma separated, no quoting, blank lines skipped, header on the first
/// non-comment line. Every field error names the file and the 1-based line.
/// </summary>
internal sealed class CsvText
{
    private CsvText(string file, string[] header, List<(int Line, string[] Fields)> rows, List<(int Line, string Text)> comments)
    {
        File = file;
        Header = header;
        Rows = rows;
        Comments = comments;
    }

    public string File { get; }
    public string[] Header { get; }
    public List<(int Line, string[] Fields)> Rows { get; }

    /// <summary>Leading <c>#</c> lines (before the header), without the <c>#</c>.</summary>
    public List<(int Line, string Text)> Comments { get; }

    /// <summary>
    /// Reads the file line by line (streaming: the whole text and its array of lines are never held; only
    /// the parsed rows are), with the same rules as <see cref="Parse(string, string, bool)"/>.
    /// </summary>
    public static CsvText Read(string file, bool allowComments)
    {
        try
        {
            using var reader = new StreamReader(file);
            return Parse(file, Lines(file, reader), allowComments);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFormatException(file, 0, $"cannot read the file: {e.Message}", e);
        }
    }

    public static CsvText Parse(string file, string text, bool allowComments) => Parse(file, text.Split('\n'), allowComments);

    /// <summary>The lines split at '\n' only (as <c>Split('\n')</c>; a '\r' before it is trimmed by the parser).</summary>
    private static IEnumerable<string> Lines(string file, StreamReader reader)
    {
        var line = new System.Text.StringBuilder();
        var buffer = new char[1 << 16];
        int read, number = 1;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            int start = 0;
            for (int i = 0; i < read; i++)
            {
                if (buffer[i] != '\n') continue;
                line.Append(buffer, start, i - start);
                yield return line.ToString();
                line.Clear();
                number++;
                start = i + 1;
            }
            line.Append(buffer, start, read - start);
            // A file without line breaks is not held whole (BoundedText: 100 MB of one line took 1.5 GB to refuse).
            if (line.Length > BoundedText.MaxLine)
                throw new RunFormatException(file, number, $"line longer than {BoundedText.MaxLine:N0} characters: not a CSV log (a binary file, or one without line breaks).");
        }
        yield return line.ToString();
    }

    private static CsvText Parse(string file, IEnumerable<string> lines, bool allowComments)
    {
        string[]? header = null;
        var rows = new List<(int, string[])>();
        var comments = new List<(int, string)>();
        int i = -1;
        foreach (string raw in lines)
        {
            i++;
            if (raw.Contains('\0')) throw new RunFormatException(file, 1, "the file is binary, not CSV text.");
            string line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            if (header is null && allowComments && line.TrimStart().StartsWith('#'))
            {
                comments.Add((i + 1, line.TrimStart()[1..].Trim()));
                continue;
            }
            var fields = line.Split(',');
            for (int k = 0; k < fields.Length; k++) fields[k] = fields[k].Trim();
            if (header is null)
            {
                header = fields;
                continue;
            }
            if (fields.Length != header.Length)
                throw new RunFormatException(file, i + 1, $"expected {header.Length} fields ({string.Join(",", header)}), found {fields.Length} (truncated or malformed line).");
            rows.Add((i + 1, fields));
        }
        if (header is null) throw new RunFormatException(file, 1, "the file is empty (no header line).");
        return new CsvText(file, header, rows, comments);
    }

    /// <summary>Longest header echoed in an error: a binary file's "header" is one long line of garbage.</summary>
    internal const int MaxHeaderEcho = 100;

    /// <summary>
    /// A header for an error message: the names joined (quoted when asked), cut to <see cref="MaxHeaderEcho"/> characters
    /// with the count left out, so that the message stays one readable line whatever the file holds.
    /// </summary>
    internal static string ShowHeader(IEnumerable<string> names, string separator = ",", bool quoted = false)
    {
        string s = string.Join(separator, names.Select(h => quoted ? $"'{h}'" : h));
        return s.Length <= MaxHeaderEcho ? s : s[..MaxHeaderEcho] + $"...({s.Length - MaxHeaderEcho} more characters)";
    }

    /// <summary>
    /// The CSV library's complaint about a file, for an error message: without the header row it quotes (Sep's "Col name 'x' found 2
    /// times ... in header row '...'" echoes the whole header, 600 characters for a real AlgoPerf log with one duplicated column, found
    /// by the fuzz harness) and cut to twice <see cref="MaxHeaderEcho"/> characters.
    /// </summary>
    internal static string LibraryProblem(string message)
    {
        int i = message.IndexOf(" in header row", StringComparison.Ordinal);
        string s = (i > 0 ? message[..i] : message).ReplaceLineEndings(" ");
        return s.Length <= 2 * MaxHeaderEcho ? s : s[..(2 * MaxHeaderEcho)] + $"...({s.Length - 2 * MaxHeaderEcho} more characters)";
    }

    /// <summary>
    /// The CSV library's complaint about a malformed row (Sep: "Found 18 column(s) on row 2/lines [3..4]:'ROW' Expected 15
    /// column(s) matching header/first row 'HEADER'", 600 characters and more for a real AlgoPerf log, found by the fuzz harness) as
    /// a <see cref="RunFormatException"/> at the row's first line: "malformed CSV: 18 fields where the header has 15". Another
    /// message is kept, cut (<see cref="LibraryProblem"/>), at location "?".
    /// </summary>
    internal static RunFormatException MalformedRow(string file, Exception e)
    {
        var found = System.Text.RegularExpressions.Regex.Match(e.Message, @"Found (\d+) column\(s\) on row \d+/lines \[(\d+)\.\.");
        var expected = System.Text.RegularExpressions.Regex.Match(e.Message, @"Expected (\d+) column\(s\)");
        if (found.Success && expected.Success && int.TryParse(found.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture, out int line))
            return new RunFormatException(file, line, $"malformed CSV: {found.Groups[1].Value} fields where the header has {expected.Groups[1].Value}.", e);
        return new RunFormatException(file, "?", $"malformed CSV: {LibraryProblem(e.Message)}", e);
    }

    /// <summary>Index of a column (case-insensitive), or -1; a name the header gives twice is refused (which one is meant is
    /// unknown: was read as the first, e.g. "step,loss,lr,loss" imported the first loss and dropped the other silently).</summary>
    public int Column(string name)
    {
        int first = Array.FindIndex(Header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
        if (first >= 0 && Array.FindIndex(Header, first + 1, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase)) is > 0 and var second)
            throw new RunFormatException(File, 1, $"the header has two '{name}' columns ({first + 1} and {second + 1}): which one is meant is unclear (header: {ShowHeader(Header)}).");
        return first;
    }

    /// <summary>Indices of required columns; one error listing every missing one.</summary>
    public int[] Require(params string[] names)
    {
        var idx = names.Select(Column).ToArray();
        var missing = names.Where((n, i) => idx[i] < 0).ToArray();
        if (missing.Length > 0)
            throw new RunFormatException(File, 1, $"missing column{(missing.Length > 1 ? "s" : "")} {string.Join(", ", missing)} (header: {ShowHeader(Header)}).");
        return idx;
    }

    /// <summary>Parses a number; NaN and infinities are returned as such (callers decide).</summary>
    public double Number(int line, string[] fields, int col, string what)
    {
        string s = fields[col];
        if (s.Length == 0) throw new RunFormatException(File, line, $"{what} is empty.");
        switch (s.ToLowerInvariant())
        {
            case "nan" or "-nan": return double.NaN;
            case "inf" or "+inf" or "infinity" or "+infinity": return double.PositiveInfinity;
            case "-inf" or "-infinity": return double.NegativeInfinity;
        }
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double x))
            throw new RunFormatException(File, line, $"{what} '{s}' is not a number.");
        return x;
    }
}
