using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 16 of docs/VALIDATION.md: protocol 14's procedure (<see cref="CrossData.Run"/>: first half to final, every law with
/// the default identified fits, <see cref="CrossData.Select"/> and the baseline) on a third foreign source, the PolyPythias
/// training-loss curves (GPT-NeoX, Pythia 14M/70M/160M, seeds 1-9; github.com/EleutherAI/pythia,
/// benchmarks/foreign-runs-pythia/manifest.json, extracted by its fetch.sh). The runs are generic run files whose
/// observations are means of 1,000 logged per-step training losses, each at its window's middle step (the derivation is
/// fetch.sh's and is declared with the protocol); each run ends at its last observation (<see cref="EndAtLastObservation"/>), so
/// the last window's mean is the loss predicted, at its window's middle step. No second horizon (no 16b).
/// </summary>
public static class CrossDataPythia
{
    /// <summary>The script that makes protocol 16's folder (benchmarks/foreign-runs-pythia/fetch.sh OUTDIR [CLONE]).</summary>
    public const string FetchScript = "benchmarks/foreign-runs-pythia/fetch.sh";

    /// <summary>Reads the manifest and its runs (<see cref="CrossData.Load"/>) and ends each run at its last observation; a manifest's horizon pair is ignored.</summary>
    /// <exception cref="ValidationDataException">The manifest or a run is missing or unreadable.</exception>
    public static IReadOnlyList<CrossDataRun> Load(string dir) =>
        [.. CrossData.Load(dir, FetchScript).Runs.Select(r => r with { Run = EndAtLastObservation(r.Run) })];

    /// <summary>
    /// The run cut after its last observation (of any split): S becomes that step, the LRs of steps 1..S are kept. The run
    /// itself when it already ends there or has no observation. (The schedule of a Pythia run has 143,000 updates; its last
    /// loss window's mean is observed at step 142,499.)
    /// </summary>
    public static TrainingRun EndAtLastObservation(TrainingRun run)
    {
        if (run.Observations.Count == 0) return run;
        int last = run.Observations.Max(o => o.Step);
        return last >= run.Steps ? run : run with { LearningRates = run.LearningRates[..last] };
    }

    /// <summary>Runs protocol 16 (protocol 14a's procedure, no horizon transfer) on the loaded runs; <paramref name="rule"/> is when a decay is held at its prior (the default rule when null; see <see cref="CrossData.Run"/>), <paramref name="stallCheck"/> whether a stalled curve's forecast is held, <paramref name="hold"/> what it holds.</summary>
    public static CrossDataResult Run(IReadOnlyList<CrossDataRun> runs, IReadOnlyList<string> laws, Action<string>? progress = null, HyperLaws.Fitting.IdentificationRule? rule = null, bool stallCheck = true, HyperLaws.Fitting.StallHold hold = HyperLaws.Fitting.StallCheck.DefaultHold) =>
        CrossData.Run(runs, null, laws, progress, rule: rule, stallCheck: stallCheck, hold: hold);
}
