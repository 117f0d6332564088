using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Commands.Contour;

/// <summary>Predicts every grid: settings -> the law over warmup x peak per budget -> result; no console I/O, nothing written.</summary>
internal static class ContourHandler
{
    public static ContourResult Run(ContourSettings settings)
    {
        string path = settings.LawPath;
        var (law, p) = settings.Law.Instantiate();
        var training = Rank.RankCommand.TrainingRange(settings.Runs, settings.Law, path, out _, out var tornTails, out var support, settings.ModelSize);
        var withheld = new HyperLaws.Cli.Output.WithheldLosses(support, "budget optima");
        var peakAxis = settings.Peaks is { } pk ? pk
            : training is { } t ? Rank.RankCommand.LogSpaced(t.MinPeak / 4, t.MaxPeak * 4, 13)
            : throw new UserInputException($"--peaks: the training runs of {path} were not found, so give the peak LR axis (e.g. --peaks 1e-4:3e-3:13) or the runs (--runs).");
        var grids = new List<ContourGrid>();
        foreach (var (label, steps) in settings.Budgets)
        {
            var warmupSteps = settings.WarmupFractions.Select(x => Math.Max(1, (int)Math.Round(x * steps))).Distinct().ToArray();
            if (warmupSteps.Length < 2) throw new UserInputException($"--warmups: the budget of {steps} steps leaves fewer than two distinct warmup lengths.");
            LrSchedule Make(double peak, int warmup) =>
                UserInputException.Guard(() => ContourCommand.Make(settings.Family, peak, steps, warmup, settings.Cooldown, settings.Floor));
            var schedules = new List<LrSchedule>();
            foreach (var peak in peakAxis)
                foreach (var wu in warmupSteps)
                    schedules.Add(Make(peak, wu));
            var screened = settings.Screen is null && law is OptLaw optLaw
                ? ByColumns(optLaw, p, peakAxis, warmupSteps, Make)
                : SchedulePreselection.Predict(law, p, schedules, settings.ModelSize, settings.Screen);
            var (loss, diverges) = (screened.Loss, screened.Diverges);
            int diverging = 0;
            if (settings.Screen is not null)
            {
                // Cells the divergence model rejects are left blank and cannot be the optimum.
                for (int i = 0; i < loss.Length; i++)
                    if (diverges[i] == true) loss[i] = double.NaN;
                diverging = diverges.Count(d => d == true);
            }
            // Perplexity = exp(L) for a loss in nats per token; cells whose prediction or perplexity is not finite (and positive) stay
            // blank and cannot be the optimum: a law far outside its runs predicts losses of thousands of nats, whose exp overflowed to
            // infinity and stopped the figure (fairseq's ten-step 13B log at 2.3M steps; benchmarks/foreign-usage).
            var z = new double[peakAxis.Count, warmupSteps.Length];
            int best = -1, noPerplexity = 0;
            for (int i = 0; i < loss.Length; i++)
            {
                double pp = double.IsFinite(loss[i]) ? Math.Exp(loss[i]) : double.NaN;
                bool drawn = double.IsFinite(pp) && pp > 0;
                if (!drawn && double.IsFinite(loss[i])) noPerplexity++;
                z[i / warmupSteps.Length, i % warmupSteps.Length] = drawn ? pp : double.NaN;
                if (drawn && (best < 0 || loss[i] < loss[best])) best = i;
            }
            if (best < 0) throw new UserInputException($"{path}: the law predicts no finite loss (with a finite perplexity) anywhere on the grid for {label}.");
            var opt = (WarmupSchedule)schedules[best];
            // The boundary per warmup column: eta_crit of that column's first schedule (eta_crit does not depend on the peak), as the
            // screen computes it for its verdicts.
            double[]? critical = settings.Screen is { } screen
                ? [.. Enumerable.Range(0, warmupSteps.Length).Select(j => screen.Predict(schedules[j].Evaluate()).EtaL)]
                : null;
            // A withheld optimum's cell is blank in the heatmap too (its perplexity is exp of the withheld loss).
            bool lossWithheld = withheld.Withhold(loss[best], steps);
            if (lossWithheld) z[best / warmupSteps.Length, best % warmupSteps.Length] = double.NaN;
            grids.Add(new ContourGrid(label, steps, warmupSteps, z, opt.Warmup, opt.Peak, loss[best], diverging, loss.Length)
            {
                DivergenceProbability = screened.Probability[best],
                NoPerplexity = noPerplexity,
                CriticalPeakLr = critical,
                // The optimum stays the law's (its lowest drawn cell); its loss is withheld when the runs do not support it
                // (HyperLaws.Planning.PredictionSupport). Not the lowest physical cell instead: where the law falls below half the
                // runs' lowest loss, that cell is only where the law crosses that bound, not an optimum.
                LossWithheld = lossWithheld,
            });
        }
        return new ContourResult(law.Name, peakAxis, grids, training) { Withheld = withheld, TornTails = tornTails };
    }

    /// <summary>
    /// An OptLaw's grid by columns (issue 12; docs/VALIDATION.md, "OptLaw on long curves and the contour at 2.3M steps"): the
    /// schedules of one warmup are one shape (the family at peak 1) times the peak, so each column is one pass over its shape
    /// (<see cref="OptLaw.PredictFinalScaled"/>) rather than one pass over a schedule per cell. The cells in the order of the
    /// schedules (peak-major: cell i x warmups + j is peak i, warmup j); no screen, so no verdicts. <paramref name="make"/> builds the
    /// schedule of a (peak, warmup) cell; the shape is its schedule at peak 1.
    /// </summary>
    internal static ScreenedPredictions ByColumns(OptLaw law, double[] p, IReadOnlyList<double> peakAxis, int[] warmupSteps, Func<double, int, LrSchedule> make)
    {
        int columns = warmupSteps.Length;
        var loss = new double[peakAxis.Count * columns];
        // As SchedulePreselection.Predict: at most one column per core (each holds its shape's LRs, about 18 MB at 2.3M steps).
        Parallel.For(0, columns, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, j =>
        {
            var shape = make(1, warmupSteps[j]).Evaluate();
            var column = law.PredictFinalScaled(p, shape, peakAxis);
            for (int i = 0; i < column.Length; i++) loss[i * columns + j] = column[i];
        });
        return new ScreenedPredictions(loss, new bool?[loss.Length], [.. Enumerable.Repeat(double.NaN, loss.Length)]);
    }
}
