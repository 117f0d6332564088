using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 15 of docs/VALIDATION.md: protocol 14's procedure (<see cref="CrossData.Run"/>: first half to final, every law with
/// the default identified fits, <see cref="CrossData.Select"/> and the baseline) on a second foreign source, the AlgoPerf v0.5
/// baseline logs (github.com/mlcommons/algorithmic-efficiency; benchmarks/foreign-runs-algoperf/manifest.json, extracted by its
/// fetch.sh). One difference, declared with the protocol: an observation at a step where no learning rate has been applied yet
/// (the LR sum up to it is 0: the initial model, as AlgoPerf's evaluation at global_step 1 after an update at LR 0) is left out,
/// as protocol 14's readers leave out the step-0 evaluation. No second horizon (no 15b): a manifest's horizon pair is ignored.
/// </summary>
public static class CrossDataAlgoPerf
{
    /// <summary>Reads the manifest and its runs (<see cref="CrossData.Load"/>) and leaves out each run's observations before any LR was applied.</summary>
    /// <exception cref="ValidationDataException">The manifest or a run is missing or unreadable.</exception>
    public static IReadOnlyList<CrossDataRun> Load(string dir) =>
        [.. CrossData.Load(dir, FetchScript).Runs.Select(r => r with { Run = Trained(r.Run) })];

    /// <summary>The script that makes protocol 15's folders (benchmarks/foreign-runs-algoperf/fetch.sh OUTDIR [CLONE]).</summary>
    public const string FetchScript = "benchmarks/foreign-runs-algoperf/fetch.sh";

    /// <summary>Runs protocol 15 (protocol 14a's procedure, no horizon transfer) on the loaded runs.</summary>
    /// <param name="runs">The runs.</param>
    /// <param name="laws">The laws.</param>
    /// <param name="progress">Progress lines, or null.</param>
    /// <param name="rule">When a decay is held at its prior (the default rule when null; see <see cref="CrossData.Run"/>).</param>
    /// <param name="stallCheck">The stall check's hold on (the default; see <see cref="CrossData.Run"/>).</param>
    /// <param name="hold">What a stalled curve's forecast holds (see <see cref="CrossData.Run"/>).</param>
    public static CrossDataResult Run(IReadOnlyList<CrossDataRun> runs, IReadOnlyList<string> laws, Action<string>? progress = null, HyperLaws.Fitting.IdentificationRule? rule = null, bool stallCheck = true, HyperLaws.Fitting.StallHold hold = HyperLaws.Fitting.StallCheck.DefaultHold) =>
        CrossData.Run(runs, null, laws, progress, rule: rule, stallCheck: stallCheck, hold: hold);

    /// <summary>
    /// The run without its observations at steps s whose LR sum eta_1 + ... + eta_s is 0 (the model has not moved from its
    /// initialisation there, whatever the optimizer); the run itself when there are none.
    /// </summary>
    public static TrainingRun Trained(TrainingRun run)
    {
        int first = Array.FindIndex(run.LearningRates, lr => lr > 0) + 1; // the first step with a nonzero LR; 0 when none
        if (first == 0) return run with { Observations = [] };
        if (!run.Observations.Any(o => o.Step < first)) return run;
        return run with { Observations = [.. run.Observations.Where(o => o.Step >= first)] };
    }
}
