// The fit behind HyperLaws.Laws.Joint.NoiseLagPrior.Shares (docs/VALIDATION.md, "Protocols 7 and 8: a prior on the noise lag
// spectrum from outside protocol 8's set", helper lagprior): the joint law with the saturation+cost mechanism and the noise powers
// fitted where identified, on the 36 SlimPajama runs at batch 50x2 of protocol 17's lr-scheduling source other than the 124M sets.
// Its printed shares are NoiseLagPrior.Shares. See README.md.
using System.Globalization;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Runs;
using HyperLaws.Validation;
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
// The prior's data: protocol 17's lr-scheduling runs (MIT), the SlimPajama sets at batch 50x2 other than the 124M ones.
string[] sets = ["sp-33m", "sp-53m", "sp-60m", "sp-93m", "sp-152m", "sp-209m"];
// The lr-scheduling W&B exports (benchmarks/foreign-runs-lrsched/fetch.sh): the first argument, /tmp/p17 by default.
var (runs, _) = CrossDataLrSchedule.Load(args.Length > 0 ? args[0] : "/tmp/p17");
var curves = new List<JointCurve>();
foreach (var r in runs.Where(r => sets.Contains(r.Set)))
{
    var run = r.Run;
    var lrs = run.LearningRates;
    double peak = lrs.Max();
    int last = lrs.Length;
    for (int i = lrs.Length - 1; i >= 0; i--) if (lrs[i] == peak) { last = i + 1; break; }
    bool constant = lrs[^1] == peak;
    int from = constant ? 0 : last;
    var pts = run.Split(LossSplit.Validation).Where(o => o.Step > from).ToArray();
    Console.WriteLine($"{r.Set} {r.Name}: steps {run.Steps}, peak {peak:G3}, end {lrs[^1]:G3}, points {pts.Length}, N {run.Metadata.Parameters}");
    curves.Add(new JointCurve(r.Name, new ScheduleHistory(lrs), [.. pts.Select(o => o.Step)], [.. pts.Select(o => o.Loss)], run.Metadata.Parameters ?? double.NaN));
}
Console.WriteLine($"identified: {JointLawFitter.NoisePowerIdentified(curves)}; curves {curves.Count}");
var options = new JointFitOptions { Mechanism = JointMechanism.Full, NoisePowersWhereIdentified = true };
var fit = JointLawFitter.Fit(curves, options);
var p = fit.Parameters;
Console.WriteLine(fit.StopReason);
Console.WriteLine($"objective {fit.Objective:G6}; p {JointLaw.NoisePower(p):G4}; p+q {JointLaw.NoisePower(p) + p[JointLaw.NoisePeakExponent]:G4}; kappa {p[JointLaw.Kappa]:G4}; C {p[JointLaw.C]:G4}");
double sum = Enumerable.Range(0, JointLaw.NoiseCount).Sum(m => p[JointLaw.FirstNoise + m]);
var names = fit.Law.ParameterNames;
for (int m = 0; m < JointLaw.NoiseCount; m++)
    Console.WriteLine($"{names[JointLaw.FirstNoise + m]}: weight {p[JointLaw.FirstNoise + m]:R}, share {p[JointLaw.FirstNoise + m] / sum:R}");
// The fit's final-loss residuals per run.
foreach (var c in curves)
{
    double v = fit.Predict(c.History, [c.Steps[^1]], c.ModelSize)[0];
    Console.WriteLine($"  {c.Name}: last {c.Loss[^1]:F4} law {v:F4} ({100 * (v / c.Loss[^1] - 1):+0.00;-0.00}%)");
}
