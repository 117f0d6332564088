using System.Text.RegularExpressions;
using HyperLaws.Plotting.Reports;
using Xunit;

namespace HyperLaws.Plotting.Tests.Reports;

public sealed class HtmlReportTests
{
    private const string Hostile = SamplePlan.Hostile;

    private static byte[] Png() => FigureWriter.RenderPng(new LineChart("tiny", "x", "y", false, false, [new LineSeries("", [1, 2], [3, 4])]));

    [Fact]
    public void EveryText_IsEscaped()
    {
        string html = new HtmlReport(Hostile)
            .Meta(Hostile)
            .Section(Hostile, id: Hostile)
            .Heading(Hostile)
            .Paragraph(Hostile)
            .Bullets([Hostile])
            .Warnings([Hostile], Hostile)
            .Table([Hostile], [[Hostile]])
            .KeyValues([new(Hostile, Hostile)])
            .Figure(Png(), Hostile, Hostile, [new HtmlLink(Hostile, "a&b.csv")])
            .Render();

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html);
        Assert.DoesNotContain("\"quoted\"", html);
        string escaped = HtmlReport.Escape(Hostile);
        Assert.Equal("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot; &lt;b&gt;bold&lt;/b&gt;", escaped);
        // title, h1, meta, section id, h2, h3, p, li, warning heading and item, th, td, kv th and td, alt, caption, link text
        Assert.Equal(17, Regex.Count(html, Regex.Escape(escaped)));
        Assert.Contains("href=\"a%26b.csv\"", html);
        // The only tags are the builder's own.
        var tags = Regex.Matches(html, "<([a-z0-9]+)").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Subset(new HashSet<string> { "html", "head", "meta", "title", "style", "body", "h1", "p", "section", "h2", "h3", "ul", "li", "div", "strong", "table", "thead", "tbody", "tr", "th", "td", "figure", "img", "figcaption", "br", "span", "a" }, tags);
    }

    [Fact]
    public void Links_StayRelative_AndSegmentsArePercentEncoded()
    {
        Assert.Equal("javascript%3Aalert%281%29", HtmlReport.RelativeHref("javascript:alert(1)"));
        Assert.Equal("example.com/x.png", HtmlReport.RelativeHref("//example.com/x.png"));
        Assert.Equal("http%3A/evil.org/a.svg", HtmlReport.RelativeHref("http://evil.org/a.svg"));
        Assert.Equal("figures/loss%20curves%23.png", HtmlReport.RelativeHref("figures\\loss curves#.png"));
    }

    [Fact]
    public void Table_RightAlignsNumericColumns_AndChecksRowLengths()
    {
        string html = new HtmlReport("t")
            .Table(["name", "loss", "tokens", "error", "mixed"],
            [
                ["a", "2.345", "12B", "1.25%", "3"],
                ["b", "3.2e-4", "400M", "n/a", "three"],
                ["c", "-1,234", "", "0.5%", "4"],
            ])
            .Render();

        var headers = Regex.Matches(html, "<th( class=\"num\")?>([a-z]+)</th>").ToDictionary(m => m.Groups[2].Value, m => m.Groups[1].Success);
        Assert.Equal(new Dictionary<string, bool> { ["name"] = false, ["loss"] = true, ["tokens"] = true, ["error"] = true, ["mixed"] = false }, headers);
        Assert.Contains("<td class=\"num\">3.2e-4</td>", html);
        Assert.Contains("<td>three</td>", html);
        Assert.Throws<ArgumentException>(() => new HtmlReport("t").Table(["a", "b"], [["1"]]));
        Assert.Throws<ArgumentException>(() => new HtmlReport("t").Table(["a"], [["1"]], [true, false]));
    }

    [Fact]
    public void Figure_EmbedsThePngWithItsSize_AndRejectsOtherBytes()
    {
        byte[] png = Png();
        string html = new HtmlReport("t").Figure(png, "alt", "caption", [new HtmlLink("SVG", "x.svg")]).Render();

        var src = Regex.Match(html, "<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\" width=\"(\\d+)\" height=\"(\\d+)\"");
        Assert.True(src.Success);
        Assert.Equal(png, Convert.FromBase64String(src.Groups[1].Value));
        Assert.Equal(FigureWriter.Width.ToString(System.Globalization.CultureInfo.InvariantCulture), src.Groups[2].Value);
        Assert.Equal(FigureWriter.Height.ToString(System.Globalization.CultureInfo.InvariantCulture), src.Groups[3].Value);
        Assert.Throws<ArgumentException>(() => new HtmlReport("t").Figure([.. "<svg></svg>"u8], "alt", "caption"));
    }

    [Fact]
    public void Render_IsDeterministic_AndSectionsAreClosed()
    {
        static string Build() => new HtmlReport("t").Paragraph("intro").Section("one").Paragraph("a").Section("two").Bullets(["x", "y"]).Bullets([]).Warnings([]).Render();

        string html = Build();

        Assert.Equal(html, Build());
        Assert.Equal(2, Regex.Count(html, "<section>"));
        Assert.Equal(2, Regex.Count(html, "</section>"));
        Assert.Single(Regex.Matches(html, "<ul>"));
        Assert.DoesNotContain("class=\"warning\"", html);
        Assert.True(html.IndexOf("<p>intro</p>", StringComparison.Ordinal) < html.IndexOf("<section>", StringComparison.Ordinal));
    }
}
