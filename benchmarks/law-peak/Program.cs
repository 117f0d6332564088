using System.Globalization;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Validation;
using static System.FormattableString;

// The joint law's own peak-LR optimum per schedule shape and horizon on the 124M grid, and its final loss split into its terms
// (docs/VALIDATION.md, "The joint law's own peak optimum at long horizons", helper lawpeak). See README.md.
// args: DATA (shared/data) FITSET (p6:H | upto:H | all) SPLIT (train | val) [VARIANT: default | p1 | noprior | datascale | costdata]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
const string Usage = "usage: LawPeak DATA FITSET SPLIT [VARIANT]  (FITSET: p6:H | upto:H | all; SPLIT: train | val; VARIANT: default | p1 | noprior | datascale | costdata)";
string[] variants = ["default", "p1", "noprior", "datascale", "costdata"];
int horizon = 0;
if (args.Length is < 3 or > 4) return Refuse($"{args.Length} arguments, 3 or 4 expected");
string fitset = args[1];
if (fitset != "all" && !((fitset.StartsWith("p6:", StringComparison.Ordinal) || fitset.StartsWith("upto:", StringComparison.Ordinal))
        && int.TryParse(fitset[(fitset.IndexOf(':') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out horizon) && horizon > 0))
    return Refuse($"FITSET '{fitset}' is not p6:H, upto:H (H a positive step count) or all");
if (args[2] is not ("train" or "val")) return Refuse($"SPLIT '{args[2]}' is not train or val");
string variant = args.Length > 3 ? args[3] : "default";
if (!variants.Contains(variant)) return Refuse($"VARIANT '{variant}' is not one of {string.Join(", ", variants)}");
if (!Directory.Exists(args[0])) return Refuse($"DATA '{args[0]}' is not a folder");
var split = args[2] == "val" ? LossSplit.Validation : LossSplit.Train;
var grid = ScheduleGrid.Load(args[0]);
var usable = grid.Where(r => !r.Diverged && double.IsFinite(r.FinalLoss)).ToList();
double n = usable.Select(r => r.Run.Metadata.Parameters ?? double.NaN).FirstOrDefault(double.IsFinite, 1.24e8);
double batch = new PlanBacktestOptions().BatchTokens;   // the grid runs' batch (protocol 6's)
List<TrainingRun> set;
if (fitset.StartsWith("p6:", StringComparison.Ordinal)) set = PlanBacktest.Before(usable, horizon).Runs;
else if (fitset.StartsWith("upto:", StringComparison.Ordinal)) set = usable.Where(r => r.Horizon <= horizon).Select(r => r.Run).ToList();
else set = usable.Select(r => r.Run).ToList();
var clock = System.Diagnostics.Stopwatch.StartNew();
Func<JointFitOptions, JointFitOptions> adjust = variant switch
{
    "p1" => o => o with { NoisePowersWhereIdentified = false, NoiseLagPrior = false },
    "noprior" => o => o with { NoiseLagPrior = false },
    "datascale" => o => o with { LrDataScale = true },
    "costdata" => o => o with { CostDataScale = true },
    _ => o => o,   // "default" (checked above)
};
var law = JointPlanLaw.FitOn(set, split, fit: (c, o) => JointLawFitter.Fit(c, adjust(o)));
var p = law.Fit.Parameters;
double size = law.UseSize ? n : double.NaN, bt = law.UseBatch ? batch : double.NaN;
Console.WriteLine(Invariant($"# fit {fitset} {args[2]} {variant}: {set.Count} runs, {clock.Elapsed.TotalSeconds:0.0} s, useSize {law.UseSize} useBatch {law.UseBatch}, peaks {law.LowestPeak:G3}-{law.HighestPeak:G3}"));
var names = law.Law.ParameterNames;
for (int i = 0; i < p.Length; i++) if (p[i] != 0) Console.Write(Invariant($"{names[i]}={p[i]:G5} "));
Console.WriteLine();
Console.WriteLine(Invariant($"# noise power p={JointLaw.NoisePower([.. p]):G4} q={(p.Length > JointLaw.NoisePeakExponent ? p[JointLaw.NoisePeakExponent] : 0):G4}"));
var pa = p.ToArray();
double Loss(GridRun r, double peak, int step = -1)
{
    var lrs = r.Run.LearningRates.Select(x => x * peak / r.Lr).ToArray();
    return law.Law.PredictFinalAt(pa, new ScheduleHistory(lrs), step < 0 ? r.Horizon : step, size, bt);
}
IReadOnlyList<LawTerm> Terms(GridRun r, double peak)
{
    var lrs = r.Run.LearningRates.Select(x => x * peak / r.Lr).ToArray();
    return law.Law.Explain(pa, new ScheduleHistory(lrs), r.Horizon, size, bt);
}
double[] peaks = [2.5e-4, 5e-4, 1e-3, 1.41e-3, 2e-3, 2.83e-3, 4e-3, 8e-3];
foreach (int h in new[] { 25000, 35000, 50000 })
{
    var atH = usable.Where(r => r.Horizon == h).ToList();
    foreach (var g in atH.GroupBy(r => r.Label).OrderBy(g => g.Key, StringComparer.Ordinal))
    {
        var byLr = g.OrderBy(r => r.Lr).ToList();
        if (byLr.Select(r => r.Lr).Distinct().Count() < 2) continue;
        var top = byLr[^1];
        var opt = law.Law.OptimalPeak(pa, pk => top.Run.LearningRates.Select(x => x * pk / top.Lr).ToArray(), 1e-5, 0.05, size, bt);
        var measured = string.Join(" ", byLr.Select(r => Invariant($"{r.Lr:G3}:{r.FinalLoss:F4}/{Loss(r, r.Lr):F4}")));
        var bestRun = byLr.MinBy(r => r.FinalLoss)!;
        Console.WriteLine(Invariant($"H={h} {g.Key,-16} lawOpt {opt.Peak:G3} (L {opt.Loss:F4}) gridBest {bestRun.Lr:G3} | lr:final/law {measured}"));
    }
}
// Decomposition for the 60% linear cooldown (the plans' shape) and the 20% linear cooldown, cosine-10%
foreach (string label in new[] { "wsd-linear-0.6", "wsd-linear-0.2", "cosine-10%" })
    foreach (int h in new[] { 25000, 35000, 50000 })
    {
        var r = usable.Where(x => x.Horizon == h && x.Label == label).OrderBy(x => x.Lr).LastOrDefault();
        if (r is null) continue;
        var opt = law.Law.OptimalPeak(pa, pk => r.Run.LearningRates.Select(x => x * pk / r.Lr).ToArray(), 1e-5, 0.05, size, bt);
        Console.WriteLine(Invariant($"## {label} H={h} lawOpt {opt.Peak:G4}"));
        foreach (double pk in peaks.Append(opt.Peak))
        {
            var t = Terms(r, pk);
            Console.WriteLine(Invariant($"  peak {pk:G4}: total {t.Sum(x => x.Contribution):F5} ") + string.Join(" ", t.Select(x => Invariant($"{x.Name} {x.Contribution:F5}"))));
        }
    }
return 0;

// Bad arguments: one line naming the problem, the usage line, exit 2 (nothing is fitted or printed to stdout).
static int Refuse(string problem)
{
    Console.Error.WriteLine($"LawPeak: {problem}.");
    Console.Error.WriteLine(Usage);
    return 2;
}
