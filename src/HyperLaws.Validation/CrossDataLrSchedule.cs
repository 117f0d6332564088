using System.Text.Json;
using HyperLaws.Fitting;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 17 of docs/VALIDATION.md: a fourth foreign source, the W&amp;B exports of github.com/fabian-sp/lr-scheduling that
/// shared/data does not hold (Llama-style models of 33M-360M parameters on SlimPajama and OpenWebText2, constant, cosine-to-10%
/// and WSD runs, horizons of 3,000-200,000 steps; benchmarks/foreign-runs-lrsched/manifest.json, extracted by its fetch.sh and
/// read by <see cref="HyperLaws.Readers.WandbReader"/>, which rebuilds each run's LRs from its config).
/// <list type="bullet">
/// <item>17a: protocol 14a's procedure (<see cref="CrossData.Run"/>: first half to final, every law with the default identified fits,
/// <see cref="CrossData.Select"/> and the baseline). One derivation, declared with the protocol: llm-baselines evaluates the
/// validation loss every 200 steps while the step is below the run's length and the end-of-run evaluation (<c>final-val</c>) is
/// a different estimator (the whole validation set), so each run ends at its last validation observation
/// (<see cref="EndAtLastValidation"/>): that loss is the one predicted, with the schedule's LRs up to it.</item>
/// <item>17b: for each pair of the manifest's <c>horizonTransfers</c> (the shortest and the longest horizon of one recipe: same
/// data set, size, schedule family and peak LR), each law fitted on the whole validation curve of the shorter run predicts the
/// longer run's final loss from its schedule; the baseline holds the shorter run's last loss flat.</item>
/// </list>
/// </summary>
public static class CrossDataLrSchedule
{
    /// <summary>The script that makes protocol 17's folder (benchmarks/foreign-runs-lrsched/fetch.sh OUTDIR [CLONE]).</summary>
    public const string FetchScript = "benchmarks/foreign-runs-lrsched/fetch.sh";

    /// <summary>
    /// Reads the manifest and its runs (<see cref="CrossData.Load"/>), ends each run at its last validation observation, and reads
    /// the manifest's <c>horizonTransfers</c> list (<c>[{"from": RUN, "to": RUN}, ...]</c>; empty when absent).
    /// </summary>
    /// <exception cref="ValidationDataException">The manifest or a run is missing or unreadable, or a pair names no listed run.</exception>
    public static (IReadOnlyList<CrossDataRun> Runs, IReadOnlyList<(string From, string To)> Horizons) Load(string dir)
    {
        var runs = CrossData.Load(dir, FetchScript).Runs.Select(r => r with { Run = EndAtLastValidation(r.Run) }).ToList();
        string manifest = Path.Combine(dir, CrossData.ManifestName);
        var pairs = new List<(string, string)>();
        using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
        if (doc.RootElement.TryGetProperty("horizonTransfers", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array) throw new ValidationDataException($"{manifest}:horizonTransfers: expected a list.");
            int i = 0;
            foreach (var e in list.EnumerateArray())
            {
                string where = $"{manifest}:horizonTransfers[{i++}]";
                string from = CrossData.Text(e, "from", where), to = CrossData.Text(e, "to", where);
                foreach (string n in new[] { from, to })
                    if (!runs.Any(r => r.Name == n)) throw new ValidationDataException($"{where}: no run named '{n}'.");
                pairs.Add((from, to));
            }
        }
        return (runs, pairs);
    }

    /// <summary>
    /// The run cut at its last validation observation: S becomes that step, the LRs of steps 1..S and the observations (of any
    /// split) at steps &lt;= S are kept (a train loss logged after it is dropped). The run itself when it has no validation
    /// observation or already ends there.
    /// </summary>
    public static TrainingRun EndAtLastValidation(TrainingRun run)
    {
        var val = run.Split(LossSplit.Validation).ToList();
        if (val.Count == 0) return run;
        int last = val.Max(o => o.Step);
        if (last >= run.Steps) return run;
        return run with { LearningRates = run.LearningRates[..last], Observations = [.. run.Observations.Where(o => o.Step <= last)] };
    }

    /// <summary>Runs protocol 17: 17a on every run (<see cref="CrossData.Run"/>), 17b on every pair (in <see cref="CrossDataResult.Horizon"/>).</summary>
    /// <param name="runs">The runs (<see cref="Load"/>).</param>
    /// <param name="horizons">17b's pairs (shorter run, longer run).</param>
    /// <param name="laws">The laws.</param>
    /// <param name="progress">Progress lines, or null.</param>
    /// <param name="rule">When a decay is held at its prior (<see cref="IdentifiedFitter.DefaultRule"/> when null).</param>
    /// <param name="stallCheck">Forecast a fitted curve that <see cref="StallCheck"/> finds stalled at its recent level (the default).</param>
    /// <param name="hold">What a stalled curve's forecast holds (<see cref="StallHold"/>).</param>
    public static CrossDataResult Run(IReadOnlyList<CrossDataRun> runs, IReadOnlyList<(string From, string To)> horizons, IReadOnlyList<string> laws, Action<string>? progress = null, IdentificationRule? rule = null, bool stallCheck = true, StallHold hold = StallCheck.DefaultHold)
    {
        var how = rule ?? IdentifiedFitter.DefaultRule;
        var firstHalf = CrossData.Run(runs, null, laws, progress, rule: how, stallCheck: stallCheck, hold: hold);
        var transfer = new List<CrossDataPrediction>();
        foreach (var (fromName, toName) in horizons)
            CrossData.Transfer(transfer, runs.First(r => r.Name == fromName), runs.First(r => r.Name == toName), laws, progress, how, stallCheck, hold);
        return firstHalf with { Horizon = transfer };
    }
}
