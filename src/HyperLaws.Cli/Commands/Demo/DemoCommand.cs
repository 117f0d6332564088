using System.CommandLine;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Demo;

/// <summary>
/// <c>hyperlaws demo</c>: the main job on the data shipped in the repository, no input needed. (1) The schedule-to-loss laws
/// fitted on the Multi-Power-Law curves and judged on held-out curves (protocol 1, the MPL paper's split); (2) the LMO scaling
/// laws' closed forms checked against numerical optimisation; (3) a plan for 10x the budget of the largest shipped run, with
/// its report. <see cref="Bind"/> reads the settings once; each step is a <see cref="DemoHandler"/> call whose result
/// <see cref="DemoRenderer"/> prints in step order. By default (issue 12) step 3's plan is made on the thread pool from the start
/// and step 1's fits side by side beside it; --sequential (hidden) runs each step when it is printed, as before.
/// </summary>
internal sealed class DemoCommand : CliCommand<DemoSettings>
{
    private readonly Option<string> _outDir = new("--out") { Description = "Folder for the demo's report, figures and JSON.", DefaultValueFactory = _ => Path.Combine("hyperlaws-out", "demo"), HelpName = "DIR" };
    private readonly Option<string> _data = new("--data") { Description = "Folder holding MultiPowerLaw/loss_curve_repo (default: the repository's data/).", DefaultValueFactory = _ => "data", HelpName = "DIR" };
    // The convex bound is left out by default: it is 1-1.5% off on these curves (docs/VALIDATION.md).
    private readonly Option<string> _laws = CliOptions.Completes(new Option<string>("--laws") { Description = $"The schedule-to-loss laws to fit, compare and plan with, comma list (known: {string.Join(", ", HyperLaws.Laws.LawCatalog.All)}).", DefaultValueFactory = _ => "optlaw,mpl,tissue", HelpName = "LIST" }, HyperLaws.Laws.LawCatalog.All, list: true);
    private readonly Option<bool> _quiet = CliOptions.Quiet();
    private readonly Option<bool> _noFitCache = CliOptions.Flag("--no-fit-cache", FitCacheFolder.HelpText);
    // Hidden: step 1 one fit after another, as before issue 12's parallel path; the tests compare the two.
    private readonly Option<bool> _sequential = new("--sequential") { Description = "Fit step 1's laws one after another.", Hidden = true };

    public override string Name => "demo";

    public override string Description => "Run the main job on the shipped data: fit the schedule-to-loss laws and judge them on held-out curves, check the LMO scaling laws, and plan a run 10x the largest shipped one, with an HTML report.";

    protected override IEnumerable<Option> Options => [_outDir, _data, _laws, _quiet, _noFitCache, _sequential];

    public override DemoSettings Bind(ParseResult parse)
    {
        string dir = parse.GetValue(_outDir)!, root = ShippedData.DataOption(parse.GetValue(_data)!);
        var laws = LawRuns.ParseLaws(parse.GetValue(_laws)); // before the data folder's checks: a wrong --laws is named even with a wrong --data
        if (!Directory.Exists(root))
            throw new UserInputException($"--data: '{ErrorText.Echo(root)}' is not a folder ({(File.Exists(root) ? "it is a file" : "not found")}).");
        // The curves of part 1, checked before its heading is printed on stdout (a wrong --data was that heading, then the error).
        if (!Directory.Exists(Path.Combine(root, "MultiPowerLaw", "loss_curve_repo")))
            throw new UserInputException($"--data: '{ErrorText.Echo(root)}' has no MultiPowerLaw/loss_curve_repo (the demo's curves): give a folder laid out like the repository's data/.");
        bool quiet = parse.GetValue(_quiet);
        return new DemoSettings(dir, root, laws, quiet, parse.GetValue(_noFitCache) ? null : new FitCacheFolder(FitCacheFolder.DefaultFolder()),
            Parallel: !parse.GetValue(_sequential));
    }

    public override int Execute(CliIo io, DemoSettings settings)
    {
        bool q = settings.Quiet;
        var console = io.Table();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Synchronized: the fits and the plan report from several threads (their lines interleave on stderr; stdout keeps its order).
        var err = TextWriter.Synchronized(io.Err);
        Action<string>? progress = q ? null : line => err.WriteLine($"demo: {line}");

        // Issue 12: with settings.Parallel the plan (step 3's computing) starts first, and step 1's fits beside it; each step is
        // still printed in order and the first failure in order is the one reported (a task's failure surfaces when awaited).
        var planning = settings.Parallel ? Task.Run(() => { var t = DemoHandler.Target(settings); return (t, MakePlan(settings, t, progress)); }) : null;
        DemoRenderer.HeldOutRule(console, q);
        foreach (var sizeResult in DemoHandler.HeldOutAll(settings, progress))
            DemoRenderer.HeldOut(io, console, sizeResult(), q);

        DemoRenderer.LmoRule(console, q);
        progress?.Invoke("verifying the LMO closed forms ...");
        int code = DemoHandler.Lmo(settings, err);
        DemoRenderer.LmoVerdict(console, code, DemoHandler.LmoDir(settings));

        PlanMade made;
        if (planning is null)
        {
            var target = DemoHandler.Target(settings);
            DemoRenderer.PlanRule(console, target, q);
            ReaderNotes(err, target, q);
            made = MakePlan(settings, target, progress);
        }
        else
        {
            (var target, made) = planning.GetAwaiter().GetResult();
            DemoRenderer.PlanRule(console, target, q);
            ReaderNotes(err, target, q);
        }
        if (!q) err.WriteLine($"plan: made in {made.Seconds:F1} s");
        Plan.PlanRenderer.Write(io, made.Plan, DemoHandler.PlanDir(settings), asJson: false, chatty: !q, exportDir: null, provenance: made.Provenance);
        progress?.Invoke($"done in {clock.Elapsed.TotalSeconds:F0} s");
        return code;
    }

    /// <summary>The runs' reader notes (a W&amp;B run file's torn tail, <see cref="LawRuns.ReaderNotes"/>) on stderr, unless quiet.</summary>
    private static void ReaderNotes(TextWriter err, DemoPlanTarget target, bool quiet)
    {
        if (!quiet) foreach (var note in LawRuns.ReaderNotes(target.Runs)) err.WriteLine(note);
    }

    /// <summary>Step 3's computing: the target's options and the plan (what 'hyperlaws plan' makes before it writes).</summary>
    private static PlanMade MakePlan(DemoSettings settings, DemoPlanTarget target, Action<string>? progress)
    {
        var (options, provenance) = DemoHandler.PlanSetup(settings, target, progress);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var plan = Plan.PlanHandler.Make(target.Request, target.Runs, options);
        return new PlanMade(plan, provenance, clock.Elapsed.TotalSeconds);
    }

    /// <summary>A plan made, its provenance and the seconds it took.</summary>
    private sealed record PlanMade(HyperLaws.Planning.TrainingPlan Plan, Provenance Provenance, double Seconds);
}
