using System.Diagnostics;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Readers;
using HyperLaws.Runs;
using HyperLaws.Validation;
using static System.FormattableString;

namespace HyperLaws.Benchmarks.Fitting;

/// <summary>
/// MPL held at its decay prior (<see cref="IdentifiedFitter"/>'s pinned fit, a run without an LR decay): how far its
/// Levenberg-Marquardt continuation still moves along the flat ridge after 50, 100 and 200 iterations (issue 12, helper mplridge;
/// docs/VALIDATION.md, "MPL held at its prior: a declared stop on its ridge"). For each prior-held fit: the objective, L0, A, alpha
/// and the predictions at the fit's targets at those iterations and at the end, each change relative to the end.
/// <code>
/// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- heldridge [--ridge TAU] FILE_OR_PROTOCOL14_DIR ...
/// </code>
/// A file (llm.c's resumed JSONL, any format <see cref="RunReader"/> reads): fitted on its training points, predicted at its last
/// step and with its last LR held to 2x and 5x its steps. A folder of protocol 14's layout (<see cref="CrossData.Load"/>): each run's
/// validation points up to half its steps fitted, its last step predicted (protocol 14's fit); and, as protocol 14's <c>select</c>
/// does, the first quarter fitted and the rest of the first half predicted. Only fits that hold the decay at the prior are shown.
/// <c>--ridge TAU</c>: the same fits with <see cref="FitOptions.HeldRidgeTolerance"/> = TAU (0: off).
/// </summary>
internal static class HeldRidgeTrace
{
    private static readonly int[] Marks = [50, 100, 200];

    public static int Run(string[] args)
    {
        var options = new FitOptions { ParallelProbes = false };
        var inputs = new List<string>();
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--ridge")
            {
                if (i + 1 >= args.Length || !double.TryParse(args[i + 1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double tau) || !(tau >= 0 && double.IsFinite(tau)))
                {
                    Console.Error.WriteLine("heldridge: --ridge needs a tolerance, 0 (off) or positive and finite; usage: heldridge [--ridge TAU] FILE_OR_PROTOCOL14_DIR ...");
                    return 2;
                }
                options = options with { HeldRidgeTolerance = tau };
                i++;
            }
            else inputs.Add(args[i]);
        }
        if (inputs.Count == 0)
        {
            Console.Error.WriteLine("heldridge: no file or folder given; usage: heldridge [--ridge TAU] FILE_OR_PROTOCOL14_DIR ...");
            return 2;
        }
        Console.WriteLine("fit | iterations (continuation), evaluations, stop | at iteration: objective / L0 / A / alpha | predictions' largest change relative to the end");
        foreach (string input in inputs)
        {
            if (Directory.Exists(input))
            {
                var (runs, _) = CrossData.Load(input);
                foreach (var r in runs)
                {
                    int s = r.Run.Steps, half = s / 2, quarter = s / 4;
                    var val = r.Run.Split(LossSplit.Validation).ToList();
                    var fitted = val.Where(o => o.Step <= half).ToList();
                    var history = new ScheduleHistory(r.Run.LearningRates);
                    Trace($"{r.Set}/{r.Name} half", FitTarget.Of(r.Run, fitted), [(history, [s])], options);
                    var early = fitted.Where(o => o.Step <= quarter).ToList();
                    var held = fitted.Where(o => o.Step > quarter).Select(o => o.Step).ToArray();
                    if (early.Count > 0 && held.Length > 0)
                        Trace($"{r.Set}/{r.Name} quarter", FitTarget.Of(r.Run, early), [(history, held)], options);
                }
            }
            else
            {
                var run = RunReader.Read(input);
                var lr = run.LearningRates;
                (ScheduleHistory, int[]) Held(int factor) =>
                    (new ScheduleHistory([.. lr, .. Enumerable.Repeat(lr[^1], (factor - 1) * run.Steps)]), [factor * run.Steps]);
                Trace(Path.GetFileName(input), FitTarget.Of(run, run.Split(LossSplit.Train)), [(new ScheduleHistory(lr), [run.Steps]), Held(2), Held(5)], options);
            }
        }
        return 0;
    }

    private static void Trace(string name, FitTarget target, IReadOnlyList<(ScheduleHistory History, int[] Steps)> at, FitOptions options)
    {
        var law = new MultiPowerLaw();
        var segments = new List<List<LawFit>> { new() };
        var traced = options with
        {
            Trace = f =>
            {
                if (f.Law is not PinnedLaw) return;
                segments[^1].Add(f);
                if (f.StopReason != "running") segments.Add([]);
            },
        };
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var fit = IdentifiedFitter.Fit(law, [target], traced);
        process.Refresh();
        double seconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        if (fit.Pins is null) return;
        segments.RemoveAll(s => s.Count == 0);
        // The pinned fit's continuation: its last Levenberg-Marquardt run (after the probes, if any).
        var run = segments.LastOrDefault(s => s[^1].Law is PinnedLaw);
        if (run is null) return;
        var end = run[^1];
        double[] Predictions(LawFit f) => [.. at.SelectMany(a => f.Predict(a.History, a.Steps))];
        var final = Predictions(end);
        string Row(LawFit f)
        {
            var full = ((PinnedLaw)f.Law).Expand(f.Parameters);
            var p = Predictions(f);
            double worst = p.Zip(final, (x, y) => Math.Abs(x / y - 1)).Max();
            return Invariant($"{f.Objective:G6} / {full[MultiPowerLaw.L0]:G4} / {full[MultiPowerLaw.A]:G4} / {full[MultiPowerLaw.Alpha]:G4} | {100 * worst:0.####}%");
        }
        string Preds(LawFit f) => string.Join(", ", Predictions(f).Select(v => Invariant($"{v:0.#####}")));
        Console.WriteLine(Invariant($"{name} ({target.Steps.Length} points, CPU {seconds:0.00} s) | {end.Iterations}, {fit.Fit.Evaluations}, {end.StopReason} | pinned fit's objective {fit.Fit.Objective:G6}, predictions {Preds(end)}"));
        foreach (int mark in Marks)
            if (run.FirstOrDefault(f => f.Iterations == mark && f.StopReason == "running") is { } f)
                Console.WriteLine(Invariant($"    iteration {mark}: {Row(f)}   predictions {Preds(f)}"));
        Console.WriteLine(Invariant($"    end {end.Iterations}: {Row(end)}"));
    }
}
