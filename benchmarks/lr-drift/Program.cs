// Issue 10, helper lrdrift: which way the joint law's optimal peak LR moves with N, D and the batch (a diagnosis; docs/VALIDATION.md,
// "Which way the joint law moves the optimal peak LR with model size"). For a fitted joint law it finds the optimum eta* (241-point
// log scan over 1e-5..1, then golden section) at a template run and reports central finite differences (factor 2 each way) of ln eta*
// in ln N at fixed D/N and at fixed D, in ln D at fixed N (the batch fixed), and in ln B at fixed N and D; then the same with one
// size term zeroed (gamma_eta, a_N, c_N, n_N/n_M) to attribute the exponent. Build the solution in Release first, then:
//   dotnet run -c Release --project benchmarks/lr-drift -- marin /tmp/foreignlr/marin            (protocol 22's fits: 130m+300m, all 25)
//   dotnet run -c Release --project benchmarks/lr-drift -- steplaw ../shared/data/steplaw/data/dense_lr_bs_loss.csv   (one fit, cell offsets)
//   dotnet run -c Release --project benchmarks/lr-drift -- steplaw-loo ../shared/data/steplaw/data/dense_lr_bs_loss.csv --window=1.02   (protocol 4's joint part, fit window)
//   dotnet run -c Release --project benchmarks/lr-drift -- doc FIT.json N STEPS [BATCH|NaN] [WARMUP]   (a saved joint fit, cosine to 0)
// In the marin and steplaw modes a last argument --batch-scale=fit|off|VALUE fits the LR batch scale b_eta where identified (the default),
// leaves it at 0 (the law before), or holds it at VALUE (JointFitOptions.LrBatchScale, LrBatchExponent; issue 10, helper batchscale).
using HyperLaws.Divergence;
using HyperLaws.Runs;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Fitting;
using HyperLaws.Readers;
using HyperLaws.Validation;
using System.Globalization;
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var asm = new SweepScheduleAssumption();
string mode = args[0];
// --window=F (steplaw and steplaw-loo modes): fit the runs with loss <= F x their cell's best (protocol 4's window, the default, is 2).
double window = args.LastOrDefault(a => a.StartsWith("--window=", StringComparison.Ordinal)) is { } w ? double.Parse(w["--window=".Length..], CultureInfo.InvariantCulture) : 2;
args = [.. args.Where(a => !a.StartsWith("--window=", StringComparison.Ordinal))];
if (!(window >= 1 && window <= 2))
{
    Console.Error.WriteLine(FormattableString.Invariant($"--window={window}: the fit window must lie in [1, 2] (a multiple of the cell's best loss)."));
    Environment.Exit(2);
}
string? batchArg = args.LastOrDefault(a => a.StartsWith("--batch-scale=", StringComparison.Ordinal))?["--batch-scale=".Length..];
args = [.. args.Where(a => !a.StartsWith("--batch-scale=", StringComparison.Ordinal))];
JointFitOptions WithBatch(JointFitOptions o) => batchArg is null ? o : batchArg == "fit" ? o with { LrBatchScale = true } : batchArg == "off" ? o with { LrBatchScale = false } : o with { LrBatchScale = false, LrBatchExponent = double.Parse(batchArg, CultureInfo.InvariantCulture) };

// optimum of a law over ln eta for a point maker
static double Opt(Func<double, double> loss)
{
    double lo = Math.Log(1e-5), hi = Math.Log(1.0); int n = 241; double h = (hi - lo) / (n - 1);
    int best = 0; double bv = double.PositiveInfinity;
    for (int i = 0; i < n; i++) { double v = loss(Math.Exp(lo + i * h)); if (v < bv) { bv = v; best = i; } }
    if (best == 0 || best == n - 1) return double.NaN;
    double a = lo + (best - 1) * h, b = lo + (best + 1) * h;
    for (int it = 0; it < 80; it++) { double m1 = a + (b - a) * 0.382, m2 = a + (b - a) * 0.618; if (loss(Math.Exp(m1)) < loss(Math.Exp(m2))) b = m2; else a = m1; }
    return Math.Exp((a + b) / 2);
}
double SweepLoss(JointLaw law, double[] p, SweepPoint x)
{
    var c = StepLawJoint.Curve(x, asm, 1); var y = new double[1];
    law.Predict(p, c.History, c.ModelSize, c.BatchTokens, c.Steps, y, c.Stride); return y[0];
}
void Report(string name, JointLaw law, double[] p, Func<double[], double, double, double> optAt, double n0, double d0)
{
    // optAt(params, N, D) -> eta*
    double hN = Math.Log(2);
    string Variants(double[] q)
    {
        double up = optAt(q, n0 * 2, d0 * 2), dn = optAt(q, n0 / 2, d0 / 2);
        double upD = optAt(q, n0 * 2, d0), dnD = optAt(q, n0 / 2, d0);
        double upDD = optAt(q, n0, d0 * 2), dnDD = optAt(q, n0, d0 / 2);
        return FormattableString.Invariant($"eta*={optAt(q, n0, d0):G4} dlnEta/dlnN@D/N {(Math.Log(up) - Math.Log(dn)) / (2 * hN):F3} @D {(Math.Log(upD) - Math.Log(dnD)) / (2 * hN):F3} dlnEta/dlnD@N {(Math.Log(upDD) - Math.Log(dnDD)) / (2 * hN):F3}");
    }
    Console.WriteLine(FormattableString.Invariant($"== {name} at N={n0:G3} D={d0:G3}: gamma_eta {p[JointLaw.LrSizeExponent]:G4} delta_eta {p[JointLaw.LrDataExponent]:G4} a_N {p[JointLaw.ProgressExponent]:G4} c_N {p[JointLaw.CostExponent]:G4} n_N {(p.Length > JointLaw.NoiseSizeExponent ? p[JointLaw.NoiseSizeExponent] : 0):G4} n_M {(p.Length > JointLaw.NoiseMemorySizeExponent ? p[JointLaw.NoiseMemorySizeExponent] : 0):G4} beta {p[JointLaw.Beta]:G4} A {p[JointLaw.A]:G4} alpha {p[JointLaw.Alpha]:G4} C {p[JointLaw.C]:G4} kappa {p[JointLaw.Kappa]:G4} omega {(p.Length > JointLaw.CostDataExponent ? p[JointLaw.CostDataExponent] : 0):G4}"));
    Console.WriteLine("  full:            " + Variants(p));
    var q = (double[])p.Clone(); q[JointLaw.LrSizeExponent] = 0; Console.WriteLine("  gamma_eta=0:     " + Variants(q));
    q = (double[])p.Clone(); q[JointLaw.ProgressExponent] = 0; Console.WriteLine("  a_N=0:           " + Variants(q));
    q = (double[])p.Clone(); q[JointLaw.CostExponent] = 0; Console.WriteLine("  c_N=0:           " + Variants(q));
    if (p.Length > JointLaw.NoiseSizeExponent) { q = (double[])p.Clone(); q[JointLaw.NoiseSizeExponent] = 0; if (p.Length > JointLaw.NoiseMemorySizeExponent) q[JointLaw.NoiseMemorySizeExponent] = 0; Console.WriteLine("  n_N=n_M=0:       " + Variants(q)); }
    q = (double[])p.Clone(); q[JointLaw.ProgressExponent] = 0; q[JointLaw.CostExponent] = 0; if (p.Length > JointLaw.NoiseSizeExponent) q[JointLaw.NoiseSizeExponent] = 0; if (p.Length > JointLaw.NoiseMemorySizeExponent) q[JointLaw.NoiseMemorySizeExponent] = 0;
    Console.WriteLine("  only gamma_eta:  " + Variants(q));
}
void SweepReport(string name, JointLaw law, double[] p, SweepPoint template)
{
    double n0 = template.N, d0 = (double)template.Iterations * template.BatchTokens;
    double OptAt(double[] q, double n, double d)
    {
        long it = (long)Math.Max(1, Math.Round(d / template.BatchTokens));
        var pt = template with { N = n, D = it * template.BatchTokens, Iterations = (int)it };
        return Opt(eta => SweepLoss(law, q, pt with { LearningRate = eta }));
    }
    Report(name, law, p, OptAt, n0, d0);
    double OptB(double[] q, double b)
    {
        var pt = template with { BatchTokens = b, BatchSizeSequences = template.BatchSizeSequences * b / template.BatchTokens, Iterations = (int)Math.Max(1, Math.Round(d0 / b)) };
        return Opt(eta => SweepLoss(law, q, pt with { LearningRate = eta }));
    }
    double up = OptB(p, template.BatchTokens * 2), dn = OptB(p, template.BatchTokens / 2);
    Console.WriteLine(FormattableString.Invariant($"  batch: eta* {dn:G4} at B/2, {up:G4} at 2B (N, D fixed): dlnEta/dlnB {(Math.Log(up) - Math.Log(dn)) / (2 * Math.Log(2)):F3}"));
}
if (mode == "marin")
{
    var table = LrSweepHoldOut.Load(args[1]);
    foreach (var c in table.Cells.OrderBy(c => c.N).ThenBy(c => c.D))
        Console.WriteLine(FormattableString.Invariant($"cell N={c.N:G3} D/N={c.D / c.N:G3} batch tokens {string.Join(",", c.Points.Select(x => x.BatchTokens).Distinct())}"));
    if (args.Length > 2 && args[2] == "--cells") return;
    var cells = table.Cells.Select(c => { var w = c.Points.Where(x => double.IsFinite(x.Loss)).ToList(); double b = w.Min(x => x.Loss); return (Cell: c, Runs: w.Where(x => x.Loss <= 2 * b).ToList()); }).ToList();
    double largest = cells.Max(c => c.Cell.N);
    foreach (var (label, filter) in new (string, Func<SweepCell, bool>)[] { ("marin 130m+300m (22a-size)", c => c.N != largest), ("marin all 25", c => true) })
    {
        var curves = cells.Where(c => filter(c.Cell)).SelectMany(c => c.Runs.Select(r => StepLawJoint.Curve(r, asm, r.Loss))).ToList();
        var fit = JointLawFitter.Fit(curves, WithBatch(new JointFitOptions()));
        var law = (JointLaw)fit.Law; var p = fit.Parameters.ToArray();
        Console.WriteLine(FormattableString.Invariant($"[{label}] b_eta {p[JointLaw.LrBatchExponent]:G4} ({fit.StopReason})"));
        foreach (var t in cells.Where(c => c.Cell.N == largest))
        {
            var tb = t.Runs.MinBy(x => x.Loss)!; double k = Math.Round(t.Cell.D / t.Cell.N);
            var mid = cells.Where(c => c.Cell.N < largest && c.Cell.N > cells.Min(x => x.Cell.N) && Math.Round(c.Cell.D / c.Cell.N) == k).Select(c => c.Runs.MinBy(x => x.Loss)!).FirstOrDefault();
            double O(SweepPoint pt) => Opt(eta => SweepLoss(law, p, pt with { LearningRate = eta }));
            string s = FormattableString.Invariant($"  520m K={k}: own (batch {tb.BatchTokens:G3}, it {tb.Iterations}) eta* {O(tb):G4}");
            if (mid is not null)
            {
                int it = (int)Math.Round(t.Cell.D / mid.BatchTokens);
                var swapped = tb with { BatchTokens = mid.BatchTokens, BatchSizeSequences = mid.BatchSizeSequences, Iterations = it };
                double oSw = O(swapped), oMid = O(mid);
                s += FormattableString.Invariant($"; with 300m's batch {mid.BatchTokens:G3} eta* {oSw:G4}; 300m cell itself (batch {mid.BatchTokens:G3}, it {mid.Iterations}) eta* {oMid:G4} (table best {mid.LearningRate})");
            }
            Console.WriteLine(s + $" [{label}]");
        }
        foreach (var c in cells.Where(c => c.Cell.N < largest && c.Cell.N > cells.Min(x => x.Cell.N)))
        {
            var best = c.Runs.MinBy(x => x.Loss)!;
            SweepReport($"{label} [{fit.Objective:G4}] template 300m cell D={c.Cell.D:G3} best LR {best.LearningRate}", law, p, best);
        }
    }
}
else if (mode == "steplaw-loo")
{
    // Protocol 4's joint part (StepLawJoint.Run, leave one cell out, today's defaults) with the training cells' runs within --window=F of
    // their best (issue 10, helper gapcell; docs/VALIDATION.md, "Protocol 4: where the joint law's 0.226% comes from").
    var table = SteplawReader.Read(args[1]);
    var r = StepLawJoint.Run(table, options: WithBatch(new JointFitOptions { GroupOffsets = true }), fitWindow: window);
    foreach (var c in r.Cells)
        Console.WriteLine(FormattableString.Invariant($"  N={c.N:G3} D={c.D:G3}: law LR {c.LawLr:G3} batch {c.LawBatchTokens:G3}, grid best {c.GridBestLr:G3} batch {c.GridBestBatchTokens:G3}, gap {100 * c.Gap:F3}%, error {100 * c.MeanRelError:F3}%, gamma_eta {c.LrSizeExponent:G3}, b_eta {c.LrBatchExponent:G3}"));
    Console.WriteLine(FormattableString.Invariant($"steplaw-loo window {window}: mean gap {100 * r.MeanGap:F4}%, max {100 * r.Cells.Max(c => c.Gap):F4}%, within-cell error {100 * r.MeanRelError:F4}%, law LR below the grid's best in {r.Cells.Count(c => c.LawLr < c.GridBestLr)} of {r.Cells.Count}, mean ln(law/grid) {r.Cells.Average(c => Math.Log(c.LawLr / c.GridBestLr)):F3}"));
}
else if (mode == "steplaw")
{
    var table = SteplawReader.Read(args[1]);
    var curves = new List<JointCurve>();
    // Protocol 4's runs (StepLawJoint.CellRuns: finite, each with its cell's group) within the window (StepLawJoint.Window).
    foreach (var cell in table.Cells) curves.AddRange(StepLawJoint.Window(StepLawJoint.CellRuns(cell, asm), window).Select(r => r.Curve));
    Console.WriteLine($"steplaw: {table.Cells.Count} cells, {curves.Count} runs; sizes {string.Join(",", table.Cells.Select(c => c.N).Distinct().Order().Select(n => n.ToString("G3")))}");
    var fit = JointLawFitter.Fit(curves, WithBatch(new JointFitOptions { GroupOffsets = true }));
    var law = (JointLaw)fit.Law; var p = fit.Parameters.ToArray();
    Console.WriteLine(FormattableString.Invariant($"steplaw: b_eta {p[JointLaw.LrBatchExponent]:G4} ({fit.StopReason})"));
    foreach (var cell in table.Cells.OrderBy(c => c.N).ThenBy(c => c.D))
    {
        var best = cell.Points.MinBy(x => L(x))!;
        Console.WriteLine(FormattableString.Invariant($"  cell N={cell.N:G3} D={cell.D:G3} grid best LR {best.LearningRate:G3} batch {best.BatchTokens:G3}"));
    }
    // In sample (issue 10, helper gapcell): each cell's law optimum at the cell's best batch (the law's offset per cell does not move
    // it) over the grid's best LR, and the law's residual (predicted - smoothed loss, the cell's mean residual removed, in % of the
    // loss) by the run's LR over its batch's best LR (rounded to the grid's factor sqrt 2), pooled over cells: the shape of the misfit.
    var byOffset = new SortedDictionary<int, List<double>>();
    var inSample = new List<double>();
    foreach (var cell in table.Cells.OrderBy(c => c.N).ThenBy(c => c.D))
    {
        var best = cell.Points.MinBy(x => L(x))!;
        double lawOpt = Opt(eta => SweepLoss(law, p, best with { LearningRate = eta }));
        inSample.Add(Math.Log(lawOpt / best.LearningRate));
        var runs = StepLawJoint.Window(StepLawJoint.CellRuns(cell, asm), window).Select(r => r.Point).ToList();
        var res = runs.Select(x => (SweepLoss(law, p, x) - L(x)) / L(x)).ToList();
        double shift = res.Average();
        foreach (var g in runs.Select((x, i) => (x, r: res[i] - shift)).GroupBy(t => t.x.BatchTokens))
        {
            var bb = g.MinBy(t => L(t.x)).x;
            foreach (var (x, r) in g)
            {
                int k = (int)Math.Round(2 * Math.Log2(x.LearningRate / bb.LearningRate));
                if (!byOffset.TryGetValue(k, out var l)) byOffset[k] = l = [];
                l.Add(100 * r);
            }
        }
        Console.WriteLine(FormattableString.Invariant($"  in sample N={cell.N:G3} D={cell.D:G3} batch {best.BatchTokens:G3}: law eta* {lawOpt:G3} / grid best {best.LearningRate:G3} = {lawOpt / best.LearningRate:F2}"));
    }
    Console.WriteLine(FormattableString.Invariant($"  in sample: mean ln(law/grid) {inSample.Average():F3}, law below in {inSample.Count(v => v < 0)} of {inSample.Count}; noise power p {JointLaw.NoisePower(p):G4}, C {p[JointLaw.C]:G4}, kappa {p[JointLaw.Kappa]:G4}, alpha {p[JointLaw.Alpha]:G4}"));
    foreach (var (k, l) in byOffset)
        Console.WriteLine(FormattableString.Invariant($"  residual at LR = best x 2^({k}/2): mean {l.Average():F3}% over {l.Count} runs"));
    var mid = table.Cells.OrderBy(c => c.N).ThenBy(c => c.D).ElementAt(table.Cells.Count / 2);
    SweepReport($"steplaw all cells [{fit.Objective:G4}] template N={mid.N:G3} D={mid.D:G3}", law, p, mid.Points.MinBy(x => L(x))!);
    static double L(SweepPoint x) => StepLawJoint.Loss(x);
}
else if (mode == "doc")
{
    var doc = FittedLawDocument.Parse(File.ReadAllText(args[1]));
    var (law0, p) = doc.Instantiate(); var law = (JointLaw)law0;
    int steps0 = int.Parse(args[3], CultureInfo.InvariantCulture); double n0 = double.Parse(args[2], CultureInfo.InvariantCulture);
    double batch = args.Length > 4 ? double.Parse(args[4], CultureInfo.InvariantCulture) : double.NaN;
    int warm = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 2000;
    double d0 = double.IsFinite(batch) ? steps0 * batch : steps0;
    double OptAt(double[] q, double n, double d)
    {
        int s = (int)Math.Round(d / (double.IsFinite(batch) ? batch : 1));
        return Opt(eta =>
        {
            var lr = new double[s];
            for (int k = 0; k < s; k++) lr[k] = k < warm ? eta * (k + 1) / warm : eta * 0.5 * (1 + Math.Cos(Math.PI * (k - warm) / Math.Max(1, s - warm)));
            return law.PredictFinal(q, new ScheduleHistory(lr), n, batch);
        });
    }
    Report($"doc {args[1]} cosine-to-0, warmup {warm}", law, p, OptAt, n0, d0);
}
