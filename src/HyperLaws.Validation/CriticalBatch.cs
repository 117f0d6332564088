using System.Globalization;
using HyperLaws.Numerics;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 5 of shared/docs/validation.md, critical batch: per model size, fit the steps needed to reach a target loss
/// as a function of the batch size B (tokens), S(B) = S_min (1 + B_noise / B) (McCandlish et al. 2018, "An Empirical
/// Model of Large-Batch Training", eq. 2.11: (S/S_min - 1)(E/E_min - 1) = 1 with E = B S, whose solution is this form
/// with B_noise = E_min / S_min); then B_noise = c N^e across sizes (Zhang et al. 2024, "How Does Critical Batch Size
/// Scale in Pre-training?", data of github.com/hlzhang109/critical-batch-size: their target loss per size is the loss at
/// the Chinchilla horizon, so the horizon T grows in proportion to N). The fit is least squares in log S (the steps span
/// two decades): for a fixed B_noise, ln S_min is the mean of ln S - ln(1 + B_noise/B); B_noise is found by golden-section
/// search on ln B_noise over [min B / 1000, max B x 1000].
/// </summary>
public static class CriticalBatch
{
    /// <summary>The data file under the shared data folder.</summary>
    public static string File(string data) => Path.Combine(data, "critical-batch-size", "derived", "cbs_steps_to_target_loss.csv");

    /// <summary>Reads the CSV (header with model, n_params_nominal, batch_size_tokens, steps_to_target, target_c4_val_loss, chinchilla_steps_at_bs256, seq_len).</summary>
    public static IReadOnlyList<BatchRun> Load(string data)
    {
        string path = File(data);
        if (!System.IO.File.Exists(path))
            throw new ValidationDataException($"--data: {path} not found (protocol 5 needs the critical-batch-size data, which the repository does not ship; try --data ../shared/data).");
        var lines = System.IO.File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToList();
        var header = lines[0].Split(',').Select(h => h.Trim()).ToList();
        int Col(string name) => header.IndexOf(name) is var i and >= 0 ? i : throw new ValidationDataException($"{path}: no column '{name}'.");
        int model = Col("model"), n = Col("n_params_nominal"), b = Col("batch_size_tokens"), s = Col("steps_to_target"),
            loss = Col("target_c4_val_loss"), chin = Col("chinchilla_steps_at_bs256"), seq = Col("seq_len");
        var runs = new List<BatchRun>();
        for (int i = 1; i < lines.Count; i++)
        {
            var f = lines[i].Split(',');
            double Num(int c) => c < f.Length && double.TryParse(f[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v)
                ? v : throw new ValidationDataException($"{path}: line {i + 1}, column '{header[c]}' is not a positive number.");
            // The Chinchilla horizon in tokens: its steps at batch 256 sequences of seq_len tokens.
            runs.Add(new BatchRun(f[model].Trim(), Num(n), Num(b), Num(s), Num(loss), Num(chin) * 256 * Num(seq)));
        }
        return runs;
    }

    /// <summary>Fits S(B) = S_min (1 + B_noise / B) in log space to one size's (B, S) points (at least 3, two distinct B).</summary>
    public static (double SMin, double BNoise, double RmsLogError) FitStepsBatch(IReadOnlyList<double> batch, IReadOnlyList<double> steps)
    {
        if (batch.Count != steps.Count || batch.Count < 3) throw new ArgumentException("the steps-batch fit needs at least three (B, S) points.");
        if (batch.Distinct().Count() < 2) throw new ArgumentException("the steps-batch fit needs at least two batch sizes.");
        var logS = steps.Select(s => Math.Log(s)).ToArray();
        (double LogSMin, double Sse) Profile(double logBn)
        {
            double bn = Math.Exp(logBn);
            var shift = batch.Select(x => Math.Log(1 + bn / x)).ToArray();
            double mean = logS.Zip(shift, (a, c) => a - c).Average();
            double sse = 0;
            for (int i = 0; i < logS.Length; i++) sse += Math.Pow(logS[i] - mean - shift[i], 2);
            return (mean, sse);
        }
        // Golden-section search on ln B_noise, after a coarse scan so a local dip does not trap it.
        double lo = Math.Log(batch.Min() / 1000), hi = Math.Log(batch.Max() * 1000);
        const int Scan = 200;
        int best = 0;
        double bestSse = double.PositiveInfinity;
        for (int i = 0; i <= Scan; i++)
        {
            double sse = Profile(lo + (hi - lo) * i / Scan).Sse;
            if (sse < bestSse) (best, bestSse) = (i, sse);
        }
        double a = lo + (hi - lo) * Math.Max(0, best - 1) / Scan, b = lo + (hi - lo) * Math.Min(Scan, best + 1) / Scan;
        double g = (Math.Sqrt(5) - 1) / 2;
        double x1 = b - g * (b - a), x2 = a + g * (b - a);
        double f1 = Profile(x1).Sse, f2 = Profile(x2).Sse;
        for (int it = 0; it < 200 && b - a > 1e-12; it++)
        {
            if (f1 < f2) { b = x2; x2 = x1; f2 = f1; x1 = b - g * (b - a); f1 = Profile(x1).Sse; }
            else { a = x1; x1 = x2; f1 = f2; x2 = a + g * (b - a); f2 = Profile(x2).Sse; }
        }
        double logBn = (a + b) / 2;
        var (logSMin, sseFinal) = Profile(logBn);
        return (Math.Exp(logSMin), Math.Exp(logBn), Math.Sqrt(sseFinal / logS.Length));
    }

    /// <summary>Runs the protocol on the rows (grouped by model, sizes in increasing order).</summary>
    public static CriticalBatchResult Run(IReadOnlyList<BatchRun> runs)
    {
        var fits = runs.GroupBy(r => r.Model).Select(group =>
        {
            var rows = group.ToList();
            var (sMin, bNoise, rms) = FitStepsBatch(rows.Select(r => r.BatchTokens).ToList(), rows.Select(r => r.Steps).ToList());
            return new StepsBatchFit(group.Key, rows[0].Parameters, sMin, bNoise, rms, rows.Count, rows[0].TargetLoss, rows[0].ChinchillaTokens);
        }).OrderBy(f => f.Parameters).ToList();
        if (fits.Count < 3) throw new ArgumentException($"protocol 5 needs at least three model sizes, got {fits.Count}.");
        var n = fits.Select(f => f.Parameters).ToList();
        var bn = fits.Select(f => f.BNoise).ToList();
        var inSize = PowerLawFit.Fit(n, bn);
        var inHorizon = PowerLawFit.Fit(fits.Select(f => f.ChinchillaTokens).ToList(), bn);
        var sMinInSize = PowerLawFit.Fit(n, fits.Select(f => f.SMin).ToList());
        var jack = Enumerable.Range(0, fits.Count).Select(i => PowerLawFit.Fit(n.Where((_, j) => j != i).ToList(), bn.Where((_, j) => j != i).ToList()).Exponent).ToList();
        return new CriticalBatchResult(fits, inSize, inHorizon, sMinInSize, jack.Min(), jack.Max());
    }
}
