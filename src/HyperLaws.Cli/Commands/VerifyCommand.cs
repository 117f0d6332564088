using System.CommandLine;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Plotting.Theory;
using HyperLaws.Theory.Verification;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>hyperlaws verify</c>: every regime over a budget sweep, fitted exponents against the theory,
/// closed form against numerical optimum, and the paper's figures (PNG, SVG, CSV).
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(CliIo io)
    {
        var outDir = new Option<string>("--out") { Description = "Folder for the figures and verify.json.", DefaultValueFactory = _ => Path.Combine("hyperlaws-out", "verify"), HelpName = "DIR" };
        var budgets = CliOptions.Number("--budgets", "Number of log-spaced budgets (default 100).", "N");
        var min = CliOptions.Number("--min-tokens", "Smallest budget (default 1e3; from 1 to 1e20).", "T", 1, 1e20);
        var max = CliOptions.Number("--max-tokens", "Largest budget (default 1e14; from 1 to 1e20).", "T", 1, 1e20);
        var integer = CliOptions.Flag("--integer-batch", "Whole batches only.");
        var noFigures = CliOptions.Flag("--no-figures", "Skip the figures (numbers only).");
        var json = CliOptions.Json();
        var quiet = CliOptions.Quiet();
        var proxyOptions = new ProxyOptions();

        var command = new Command("verify", "Check the closed forms against numerical optimisation over budgets 1e3..1e14, fit the scaling exponents, and draw the paper's figures.");
        foreach (var o in new Option[] { outDir, budgets, min, max, integer, noFigures })
            command.Options.Add(o);
        proxyOptions.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(quiet);

        command.SetAction(r =>
        {
            var (_, _, constants) = proxyOptions.Read(r);
            var defaults = new VerificationOptions();
            double n = r.GetValue(budgets) ?? defaults.Budgets;
            if (n != Math.Floor(n) || n < 3 || n > 100_000) throw new UserInputException($"--budgets must be a whole number from 3 to 100000 (got {n}).");
            var options = defaults with
            {
                Constants = constants,
                Budgets = (int)n,
                MinTokens = r.GetValue(min) ?? defaults.MinTokens,
                MaxTokens = r.GetValue(max) ?? defaults.MaxTokens,
                IntegerBatch = r.GetValue(integer),
            };
            return Run(io, options, r.GetValue(outDir)!, !r.GetValue(noFigures), r.GetValue(json), r.GetValue(quiet));
        });
        return command;
    }

    /// <summary>Runs the sweep, writes figures and verify.json, prints the result; exit 0 when every check passed, else 1.</summary>
    public static int Run(CliIo io, VerificationOptions options, string outDir, bool figures, bool json, bool quiet)
    {
        UserInputException.Guard(() => { options.Validate(); return 0; });
        Files.Guard(outDir, () => Directory.CreateDirectory(outDir)); // fail on an unwritable folder before any work
        if (!quiet && !json) io.Err.WriteLine($"verify: solving {Names(options)} regimes at {options.Budgets} budgets ...");
        var report = VerificationSweep.Run(options);

        var files = new List<string>();
        if (figures)
        {
            if (!quiet && !json) io.Err.WriteLine($"verify: drawing figures into {outDir} ...");
            files.AddRange(Files.Guard(outDir, () => TheoryFigures.WriteAll(report, outDir)));
        }
        var node = ToJson(report, files);
        string reportPath = Path.Combine(outDir, "verify.json");
        Files.WriteAtomic(reportPath, Json.Serialize(node));
        node["report"] = reportPath;

        if (json) io.Out.WriteLine(Json.Serialize(node));
        else Print(io, report, files, reportPath);
        return report.AllPassed ? 0 : 1;
    }

    private static string Names(VerificationOptions o) => (4 + o.FixedMomentumBetas.Count + o.RidgeExponents.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);

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

    private static void Print(CliIo io, VerificationReport r, IReadOnlyList<string> files, string reportPath)
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
