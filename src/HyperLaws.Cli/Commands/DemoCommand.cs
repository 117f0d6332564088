using System.CommandLine;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Optimum;
using HyperLaws.Planning;
using HyperLaws.Theory.Verification;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>hyperlaws demo</c>: the main job on the data shipped in the repository, no input needed. (1) The schedule-to-loss laws
/// fitted on the Multi-Power-Law curves and judged on held-out curves (protocol 1, the MPL paper's split); (2) the LMO scaling
/// laws' closed forms checked against numerical optimisation; (3) a plan for 10x the budget of the largest shipped run, with
/// its report.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliIo io)
    {
        var outDir = new Option<string>("--out") { Description = "Folder for the demo's report, figures and JSON.", DefaultValueFactory = _ => Path.Combine("hyperlaws-out", "demo"), HelpName = "DIR" };
        var data = new Option<string>("--data") { Description = "Folder holding MultiPowerLaw/loss_curve_repo (default: the repository's data/).", DefaultValueFactory = _ => "data", HelpName = "DIR" };
        // The convex bound is left out by default: it is 1-1.5% off on these curves (docs/VALIDATION.md).
        var lawsOption = new Option<string>("--laws") { Description = "The schedule-to-loss laws to fit, compare and plan with, comma list.", DefaultValueFactory = _ => "optlaw,mpl,tissue", HelpName = "LIST" };
        var quiet = CliOptions.Quiet();
        var noFitCache = CliOptions.Flag("--no-fit-cache", FitCacheFolder.HelpText);
        var command = new Command("demo", "Run the main job on the shipped data: fit the schedule-to-loss laws and judge them on held-out curves, check the LMO scaling laws, and plan a run 10x the largest shipped one, with an HTML report.");
        command.Options.Add(outDir);
        command.Options.Add(data);
        command.Options.Add(lawsOption);
        command.Options.Add(quiet);
        command.Options.Add(noFitCache);
        command.SetAction(r =>
        {
            string dir = r.GetValue(outDir)!, root = ShippedData.DataOption(r.GetValue(data)!);
            if (!Directory.Exists(root))
                throw new UserInputException($"--data: '{ErrorText.Echo(root)}' is not a folder ({(File.Exists(root) ? "it is a file" : "not found")}).");
            bool q = r.GetValue(quiet);
            var laws = LawRuns.ParseLaws(r.GetValue(lawsOption));
            var console = io.Table();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Action<string>? progress = q ? null : line => io.Err.WriteLine($"demo: {line}");
            string curves = MplSplit.CurveFolder(root);

            if (!q) console.Write(new Rule("[bold]1. Schedule-to-loss laws on held-out curves (fit on 3 curves per size, predict the other 6)[/]").LeftJustified());
            foreach (string size in MplSplit.Sizes)
            {
                var result = UserInputException.Guard(() => MplSplit.Run(root, size, laws, progress));
                if (!q) Compare.CompareRenderer.Print(io, [.. result.Scores.Select(s => (s.Law, s.Score))], $"{size}M: fit on {string.Join(", ", MplSplit.Train)}");
                var best = result.Scores.MinBy(s => s.Score.Summary.PredE)!;
                console.MarkupLine(Markup.Escape($"{size}M: best held-out PredE {best.Law} {Format.Percent(best.Score.Summary.PredE)} (published MPL {Format.Percent(result.Published.PredE)})"));
            }

            if (!q) console.Write(new Rule("[bold]2. LMO scaling laws: closed forms vs numerical optimisation, budgets 1e3..1e14[/]").LeftJustified());
            progress?.Invoke("verifying the LMO closed forms ...");
            // The full table is 'hyperlaws verify'; here only its verdict (its figures and verify.json are written).
            int code = Verify.VerifyCommand.Run(new CliIo(TextWriter.Null, io.Err), new VerificationOptions(), Path.Combine(dir, "lmo"), figures: true, json: false, quiet: true);
            console.MarkupLine(Markup.Escape(code == 0
                ? $"every fitted exponent of the closed forms and of numerical optimisation matches the theory (table: 'hyperlaws verify'; figures and verify.json in {Path.Combine(dir, "lmo")})"
                : $"a closed form disagreed with numerical optimisation: run 'hyperlaws verify' for the table (verify.json in {Path.Combine(dir, "lmo")})"));

            var runs = LawRuns.Load([curves], recursive: true);
            var largest = RunReferences.Of(runs, runs.Max(x => x.Metadata.Parameters ?? 0), TrainingOptimizer.AdamW, null, StepLawRule.Instance);
            double tokens = 10 * largest.Tokens;
            if (!q) console.Write(new Rule("[bold]" + Markup.Escape($"3. Plan: {Format.Count(largest.Parameters)} parameters, 10x the largest shipped run ({largest.Run}: {largest.Steps} steps x {Format.Count(largest.TokensPerStep)} tokens = {Format.Count(largest.Tokens)} tokens)") + "[/]").LeftJustified());
            var request = new PlanRequest(largest.Parameters, tokens, TrainingOptimizer.AdamW);
            string prior = Path.Combine(root, "priors", "divergence-steplaw.json");
            string lrPrior = Path.Combine(root, "priors", "lr-axis-steplaw.json");
            var options = new PlanOptions
            {
                LrPrior = File.Exists(lrPrior) ? Plan.PlanCommand.LoadLrPrior(lrPrior) : null,
                LrPriorSource = $"shipped prior {Path.GetFileName(lrPrior)}",
                Laws = laws,
                Divergence = File.Exists(prior) ? DivergenceScreenOptions.Load(prior) : null,
                DivergenceSource = $"shipped prior {Path.GetFileName(Plan.PlanCommand.DefaultDivergence)} (fitted on the Step Law runs)",
                Progress = progress is null ? null : line => progress($"plan: {line} ..."),
                FitCache = r.GetValue(noFitCache) ? null : new FitCacheFolder(FitCacheFolder.DefaultFolder()),
            };
            // The plan's rerun command: the same request, runs, laws and prior as 'hyperlaws plan' options.
            var words = new List<string> { "hyperlaws", "plan", "--params", Format.G(request.Parameters, 17), "--tokens", Format.G(tokens, 17),
                "--runs", Path.GetFullPath(curves), "--laws", string.Join(',', laws), "--out", Path.GetFullPath(Path.Combine(dir, "plan")) };
            words.AddRange(File.Exists(prior) ? ["--divergence", Path.GetFullPath(prior)] : ["--no-divergence"]);
            words.AddRange(File.Exists(lrPrior) ? ["--lr-prior", Path.GetFullPath(lrPrior)] : ["--no-lr-prior"]);
            var provenance = Provenance.Of(string.Join(' ', words.Select(Provenance.Quote)), DateTime.UtcNow);
            Plan.PlanCommand.Run(io, request, runs, options, Path.Combine(dir, "plan"), asJson: false, chatty: !q, provenance: provenance);
            progress?.Invoke($"done in {clock.Elapsed.TotalSeconds:F0} s");
            return code;
        });
        return command;
    }
}
