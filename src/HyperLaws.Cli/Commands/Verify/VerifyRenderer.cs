using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Plotting.Theory;
using HyperLaws.Theory.Verification;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Verify;

/// <summary>A verification report as files (the figures and verify.json), a console table or one JSON object.</summary>
internal static class VerifyRenderer
{
    /// <summary>Writes the figures (when asked) and verify.json into <paramref name="outDir"/>; returns the JSON written, with its path added, and the figure files.</summary>
    public static (JsonObject Node, IReadOnlyList<string> Figures, string ReportPath) WriteFiles(CliIo io, VerificationReport report, string outDir, bool figures, bool progress)
    {
        var files = new List<string>();
        if (figures)
        {
            if (progress) io.Err.WriteLine($"verify: drawing figures into {outDir} ...");
            files.AddRange(Files.Guard(outDir, () => TheoryFigures.WriteAll(report, outDir)));
        }
        var node = ToJson(report, files);
        string reportPath = Path.Combine(outDir, "verify.json");
        ResultOutput.WriteJsonFile(reportPath, node);
        node["report"] = reportPath;
        return (node, files, reportPath);
    }

    public static JsonObject ToJson(VerificationReport r, IReadOnlyList<string> files)
    {
        var exponents = new JsonArray();
        foreach (var c in r.Checks)
        {
            exponents.Add(new JsonObject
            {
                ["curve"] = c.Curve, ["quantity"] = c.Quantity, ["theory"] = c.Theory,
                ["closedForm"] = Json.Number(c.ClosedForm), ["numerical"] = Json.Number(c.Numerical),
                ["fromTokens"] = c.FromTokens, ["toTokens"] = c.ToTokens, ["points"] = c.Points, ["passed"] = c.Passed,
            });
        }
        var ridge = new JsonArray();
        foreach (var x in r.Ridge)
            ridge.Add(new JsonObject { ["exponent"] = x.Exponent, ["excessAtLargestBudget"] = Json.Number(x.AtLargestBudget), ["excessAtSmallestBudget"] = Json.Number(x.RelativeExcess[0]) });
        return new JsonObject
        {
            ["allPassed"] = r.AllPassed,
            ["checks"] = r.Checks.Count,
            ["failed"] = r.Checks.Count(c => !c.Passed),
            ["tolerance"] = r.Options.ExponentTolerance,
            ["largestProxyGap"] = Json.Number(r.LargestProxyGap),
            ["largestExactArgumentGap"] = Json.Number(r.LargestExactArgumentGap),
            ["minTokens"] = r.Options.MinTokens,
            ["maxTokens"] = r.Options.MaxTokens,
            ["budgets"] = r.Options.Budgets,
            ["constants"] = Json.Constants(r.Options.Constants),
            ["exponents"] = exponents,
            ["ridge"] = ridge,
            ["files"] = Json.Strings(files),
        };
    }

    public static void Print(CliIo io, VerificationReport r, IReadOnlyList<string> files, string reportPath)
    {
        var console = io.Table();
        var table = new Table().Border(TableBorder.Rounded).Title("Fitted scaling exponents vs theory")
            .AddColumn("curve").AddColumn("quantity").AddColumn(new TableColumn("theory").RightAligned())
            .AddColumn(new TableColumn("closed form").RightAligned()).AddColumn(new TableColumn("numerical").RightAligned())
            .AddColumn(new TableColumn("window").Centered()).AddColumn("ok");
        foreach (var c in r.Checks)
        {
            table.AddRow(Markup.Escape(c.Curve), c.Quantity, Format.Signed(c.Theory), Format.Signed(c.ClosedForm), Format.Signed(c.Numerical),
                $"{Format.Count(c.FromTokens, 2)}..{Format.Count(c.ToTokens, 2)}", c.Passed ? "[green]yes[/]" : "[red]NO[/]");
        }
        console.Write(table);
        var ridge = new Table().Border(TableBorder.Rounded).Title("Ridge paths b ~ T^c: proxy excess over the joint optimum")
            .AddColumn(new TableColumn("c").RightAligned())
            .AddColumn(new TableColumn($"at T = {Format.Count(r.Options.MinTokens, 2)}").RightAligned())
            .AddColumn(new TableColumn($"at T = {Format.Count(r.Options.MaxTokens, 2)}").RightAligned());
        foreach (var x in r.Ridge) ridge.AddRow(Format.G(x.Exponent, 4), Format.Percent(x.RelativeExcess[0]), Format.Percent(x.AtLargestBudget));
        console.Write(ridge);
        console.MarkupLine(Markup.Escape($"largest closed-form vs numerical gap: proxy {Format.Percent(r.LargestProxyGap, 4)} (leading-order closed forms included); arguments {Format.Percent(r.LargestExactArgumentGap, 6)} where the closed form is exact"));
        int failed = r.Checks.Count(c => !c.Passed);
        console.MarkupLine(failed == 0
            ? $"[green]all {r.Checks.Count} exponent checks within {Format.G(r.Options.ExponentTolerance)} of theory[/]"
            : $"[red]{failed} of {r.Checks.Count} exponent checks off by more than {Format.G(r.Options.ExponentTolerance)}[/]");
        if (files.Count > 0) console.MarkupLine(Markup.Escape($"{files.Count} figure files in {Path.GetDirectoryName(files[0])}"));
        console.MarkupLine(Markup.Escape($"report: {reportPath}"));
    }
}
