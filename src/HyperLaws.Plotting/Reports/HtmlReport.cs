using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace HyperLaws.Plotting.Reports;

/// <summary>
/// Builds ONE self-contained HTML page: inline CSS, no scripts, no external fetches; figures are embedded as
/// <c>data:image/png;base64</c> images. Every text given is HTML-escaped. The output depends only on what was added
/// (no timestamps), so the same report renders to the same bytes.
/// </summary>
/// <remarks>
/// Blocks are added in order: <see cref="Section"/> starts a new section with a heading; the other methods append to the
/// current one (or to the page's top before any section). Numeric table columns are right-aligned.
/// </remarks>
public sealed class HtmlReport
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private const string Style = """
        body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;color:#222;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.45}
        h1{font-size:1.7em;margin-bottom:.2em}
        h2{font-size:1.3em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.8em}
        h3{font-size:1.08em;margin-top:1.4em}
        .meta{color:#555;margin-top:0}
        table{border-collapse:collapse;margin:.6em 0 1em}
        th,td{border:1px solid #ccc;padding:.3em .6em;vertical-align:top;text-align:left;overflow-wrap:anywhere}
        th{background:#f3f3f3}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        table.kv th{width:16em}
        code{font-family:"DejaVu Sans Mono",monospace;font-size:.92em;word-break:break-all}
        .warning{background:#fff4e0;border:1px solid #e6a23c;border-left:6px solid #e6a23c;padding:.5em 1em;margin:.8em 0}
        .warning ul{margin:.3em 0;padding-left:1.2em}
        figure{margin:1em 0 2em}
        figure img{max-width:100%;height:auto;border:1px solid #ddd}
        figcaption{color:#333;margin-top:.4em}
        .files{color:#555;font-size:.92em}
        """;

    private readonly string _title;
    private readonly List<string> _meta = [];
    private readonly StringBuilder _body = new();
    private bool _sectionOpen;

    /// <param name="title">The page title and top heading.</param>
    public HtmlReport(string title)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        _title = title;
    }

    /// <summary>Adds a line under the title (what the report is of, the inputs, a date the caller passes in).</summary>
    public HtmlReport Meta(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        _meta.Add(line);
        return this;
    }

    /// <summary>Starts a new section headed <paramref name="heading"/> (an optional <paramref name="id"/> makes it linkable).</summary>
    public HtmlReport Section(string heading, string? id = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(heading);
        CloseSection();
        _body.Append(id is null ? "<section>\n" : $"<section id=\"{Escape(id)}\">\n");
        _body.Append("<h2>").Append(Escape(heading)).Append("</h2>\n");
        _sectionOpen = true;
        return this;
    }

    /// <summary>A sub-heading inside the current section.</summary>
    public HtmlReport Heading(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _body.Append("<h3>").Append(Escape(text)).Append("</h3>\n");
        return this;
    }

    /// <summary>A paragraph of plain text (HTML-escaped) inside the current section.</summary>
    public HtmlReport Paragraph(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _body.Append("<p>").Append(Escape(text)).Append("</p>\n");
        return this;
    }

    /// <summary>A bullet list; nothing is added when <paramref name="items"/> is empty.</summary>
    public HtmlReport Bullets(IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        string list = ListItems(items);
        if (list.Length > 0) _body.Append("<ul>\n").Append(list).Append("</ul>\n");
        return this;
    }

    /// <summary>A highlighted box with one warning per bullet; nothing is added when there are none.</summary>
    public HtmlReport Warnings(IEnumerable<string> warnings, string heading = "Warnings")
    {
        ArgumentNullException.ThrowIfNull(warnings);
        string list = ListItems(warnings);
        return list.Length == 0 ? this : WarningBox(heading, list);
    }

    /// <summary>
    /// A highlighted box with one bullet per group: a group of one item is that item; a group of several is its summary line with the
    /// items folded in a <c>&lt;details&gt;</c> below it (so forty notes of one kind take one line). Nothing is added when there are none.
    /// </summary>
    public HtmlReport WarningGroups(IEnumerable<(string Summary, IReadOnlyList<string> Items)> groups, string heading = "Warnings")
    {
        ArgumentNullException.ThrowIfNull(groups);
        var list = new StringBuilder();
        foreach (var (summary, items) in groups)
        {
            if (items is null || items.Count == 0) continue;
            if (items.Count == 1)
            {
                list.Append(ListItems(items));
                continue;
            }
            list.Append("<li>").Append(Escape(summary ?? "")).Append("\n<details><summary>")
                .Append(items.Count.ToString(CultureInfo.InvariantCulture)).Append(" in full</summary>\n<ul>\n").Append(ListItems(items)).Append("</ul></details></li>\n");
        }
        return list.Length == 0 ? this : WarningBox(heading, list.ToString());
    }

    private HtmlReport WarningBox(string heading, string items)
    {
        _body.Append("<div class=\"warning\" role=\"note\"><strong>").Append(Escape(heading)).Append("</strong>\n<ul>\n").Append(items).Append("</ul></div>\n");
        return this;
    }

    /// <summary>
    /// A table. <paramref name="numeric"/> says per column whether it holds numbers (right-aligned); null detects it: a
    /// column is numeric when each of its cells is a number, optionally with a unit suffix (%, K, M, B, T, P, x), or empty/"n/a".
    /// </summary>
    /// <exception cref="ArgumentException">A row's length differs from the header's.</exception>
    public HtmlReport Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, IReadOnlyList<bool>? numeric = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var body = rows.ToList();
        for (int r = 0; r < body.Count; r++)
        {
            if (body[r].Count != header.Count)
                throw new ArgumentException($"table row {r + 1} has {body[r].Count} cells, the header {header.Count}.", nameof(rows));
        }

        if (numeric is not null && numeric.Count != header.Count)
            throw new ArgumentException($"{numeric.Count} numeric flags for {header.Count} columns.", nameof(numeric));
        bool[] isNumber = [.. Enumerable.Range(0, header.Count).Select(c => numeric?[c] ?? IsNumericColumn(body.Select(row => row[c])))];
        _body.Append("<table>\n<thead><tr>");
        for (int c = 0; c < header.Count; c++) _body.Append(isNumber[c] ? "<th class=\"num\">" : "<th>").Append(Escape(header[c])).Append("</th>");
        _body.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in body)
        {
            _body.Append("<tr>");
            for (int c = 0; c < row.Count; c++) _body.Append(isNumber[c] ? "<td class=\"num\">" : "<td>").Append(Escape(row[c])).Append("</td>");
            _body.Append("</tr>\n");
        }

        _body.Append("</tbody>\n</table>\n");
        return this;
    }

    /// <summary>A two-column summary block: one row per (key, value).</summary>
    public HtmlReport KeyValues(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        _body.Append("<table class=\"kv\">\n<tbody>\n");
        foreach (var (key, value) in pairs) _body.Append("<tr><th>").Append(Escape(key)).Append("</th><td>").Append(Escape(value)).Append("</td></tr>\n");
        _body.Append("</tbody>\n</table>\n");
        return this;
    }

    /// <summary>
    /// A figure: the PNG embedded as a data URI, its caption, and links to the files next to the report (PNG, SVG, CSV).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="png"/> is not a PNG image.</exception>
    public HtmlReport Figure(byte[] png, string alt, string caption, IEnumerable<HtmlLink>? links = null)
    {
        ArgumentNullException.ThrowIfNull(png);
        ArgumentNullException.ThrowIfNull(alt);
        ArgumentNullException.ThrowIfNull(caption);
        if (png.Length < 24 || !png.AsSpan(0, 8).SequenceEqual(PngSignature))
            throw new ArgumentException($"the figure '{alt}' is not a PNG image (no PNG signature).", nameof(png));
        // IHDR: width and height are the big-endian integers at bytes 16 and 20.
        int width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16));
        int height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
        _body.Append("<figure>\n<img src=\"data:image/png;base64,").Append(Convert.ToBase64String(png))
            .Append(CultureInfo.InvariantCulture, $"\" width=\"{width}\" height=\"{height}\" alt=\"").Append(Escape(alt)).Append("\">\n")
            .Append("<figcaption>").Append(Escape(caption));
        var files = (links ?? []).ToList();
        if (files.Count > 0)
        {
            _body.Append("<br><span class=\"files\">Files: ");
            for (int i = 0; i < files.Count; i++)
            {
                if (i > 0) _body.Append(" · ");
                _body.Append("<a href=\"").Append(Escape(RelativeHref(files[i].RelativePath))).Append("\">").Append(Escape(files[i].Text)).Append("</a>");
            }

            _body.Append("</span>");
        }

        _body.Append("</figcaption>\n</figure>\n");
        return this;
    }

    /// <summary>The whole page.</summary>
    public string Render()
    {
        var page = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        page.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        page.Append("<title>").Append(Escape(_title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
        page.Append("<h1>").Append(Escape(_title)).Append("</h1>\n");
        foreach (string line in _meta) page.Append("<p class=\"meta\">").Append(Escape(line)).Append("</p>\n");
        page.Append(_body);
        if (_sectionOpen) page.Append("</section>\n");
        page.Append("</body>\n</html>\n");
        return page.ToString();
    }

    /// <summary>The whole page, as <see cref="Render"/> gives it.</summary>
    public override string ToString() => Render();

    /// <summary>Escapes text for HTML content and quoted attribute values (&amp; &lt; &gt; " ').</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new StringBuilder(text.Length + 16);
        foreach (char ch in text)
        {
            result.Append(ch switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => ch.ToString(),
            });
        }

        return result.ToString();
    }

    /// <summary>
    /// A relative URL for a file path: '\' becomes '/', each segment is percent-encoded (so ':' cannot start a scheme
    /// such as "javascript:" or "http:"), and a leading '/' is dropped.
    /// </summary>
    public static string RelativeHref(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('/', segments.Select(Uri.EscapeDataString));
    }

    private void CloseSection()
    {
        if (_sectionOpen) _body.Append("</section>\n");
        _sectionOpen = false;
    }

    private static string ListItems(IEnumerable<string> items)
    {
        var list = new StringBuilder();
        foreach (string item in items) list.Append("<li>").Append(Escape(item ?? "")).Append("</li>\n");
        return list.ToString();
    }

    private static bool IsNumericColumn(IEnumerable<string> cells)
    {
        bool any = false;
        foreach (string raw in cells)
        {
            string cell = raw.Trim();
            if (cell.Length == 0 || cell == ReportFormat.Missing || cell == "-") continue;
            if (!IsNumber(cell)) return false;
            any = true;
        }

        return any;
    }

    /// <summary>"3.2e-4", "-1,234", "12B", "1.5%", "2.0x": a number with an optional unit suffix.</summary>
    private static bool IsNumber(string cell)
    {
        string s = cell.Replace(",", "", StringComparison.Ordinal);
        if (s.Length > 1 && "%KMBTPx×".Contains(s[^1], StringComparison.Ordinal)) s = s[..^1];
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || s is "inf" or "-inf";
    }
}
