using HyperLaws.Divergence;
using HyperLaws.Readers;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// Validation protocol 4, divergence part: label the Step Law grid (a run diverged when its final loss
/// exceeds 2x its (N, D) cell's best: 178 of 1,911 runs) and the lr-scheduling 124M W&amp;B runs (one run,
/// cosine to 0 at lr 0.005, is marked diverged by the reader; the others are stable), then score the
/// divergence model (the critical peak LR, <see cref="CriticalLrRule"/>) and, as a baseline, the Opt-Laws
/// area criterion by leave-one-cell-out cross-validation (each (N, D) cell, and the lr-scheduling set as
/// one more cell, left out in turn; confusion matrices pooled). Opt-Laws reports F1 = 0.92 on its own runs.
/// Then protocols 4-D2 and 4-D3: each fold's model calibrated on the rest of its cell
/// (<see cref="DivergenceFitting.CrossValidateWithinSweep"/>).
/// </summary>
public static class DivergenceValidation
{
    /// <summary>The Step Law dense sweep table, relative to a data folder laid out like shared/data.</summary>
    public const string SteplawFile = "steplaw/data/dense_lr_bs_loss.csv";

    /// <summary>The folder of the lr-scheduling 124M W&amp;B exports, relative to a data folder laid out like shared/data.</summary>
    public const string LrSchedulingDir = "lr-scheduling/data";

    /// <summary>Reads and labels the runs of a data folder laid out like shared/data.</summary>
    /// <exception cref="ValidationDataException">A file is missing or unreadable.</exception>
    public static IReadOnlyList<DivergenceExample> LoadExamples(string dataRoot, SweepScheduleAssumption? assumption = null)
    {
        string csv = Path.Combine(dataRoot, SteplawFile);
        if (!File.Exists(csv)) throw new ValidationDataException($"{csv}: not found (the divergence protocol needs the Step Law table; the data folder must be laid out like shared/data).");
        string dir = Path.Combine(dataRoot, LrSchedulingDir);
        if (!Directory.Exists(dir)) throw new ValidationDataException($"{dir}: not found (the divergence protocol needs the lr-scheduling W&B exports).");
        SweepTable table;
        RunSet set;
        try
        {
            table = SteplawReader.Read(csv);
            set = WandbReader.ReadDirectory(dir);
        }
        catch (RunFormatException e)
        {
            throw new ValidationDataException(e.Message);
        }
        if (set.Failures.Count > 0) throw new ValidationDataException(set.Failures[0].Message);
        var examples = new List<DivergenceExample>(SweepLabels.Label(table, assumption));
        examples.AddRange(FromRuns(set.Runs, "lr-scheduling"));
        return examples;
    }

    /// <summary>
    /// Examples from training runs: N = metadata parameters, batch = tokens per step, the run's own LR
    /// history, label = the reader's divergence mark. Runs lacking N or tokens per step are refused.
    /// </summary>
    public static IEnumerable<DivergenceExample> FromRuns(IEnumerable<TrainingRun> runs, string group)
    {
        foreach (var r in runs)
        {
            string who = r.Metadata.Source ?? r.Name;
            if (r.Metadata.Parameters is not { } n) throw new ValidationDataException($"{who}: the run does not say its model size (parameters).");
            if (r.Metadata.TokensPerStep is not { } b) throw new ValidationDataException($"{who}: the run does not say its tokens per step.");
            yield return DivergenceExample.FromSchedule(r.Name, group, n, b, r.LearningRates, r.Diverged);
        }
    }

    /// <summary>
    /// Loads the data and cross-validates; <paramref name="progress"/> gets each left-out cell. <paramref name="batchCurvature"/>:
    /// every fit also fits the edge's curvature in ln batch (protocol 4-D's declared variant). Then protocol 4-D's in-sample
    /// ceilings (<see cref="DivergenceCeilings"/>) with the boundary fitted on all runs.
    /// </summary>
    public static DivergenceValidationResult Run(string dataRoot, SweepScheduleAssumption? assumption = null, Action<string>? progress = null, bool batchCurvature = false)
    {
        assumption ??= new SweepScheduleAssumption();
        var examples = LoadExamples(dataRoot, assumption);
        var cv = DivergenceFitting.CrossValidate(examples, progress: progress, baseline: true, batchCurvature: batchCurvature);
        progress?.Invoke("within each cell (protocols 4-D2, 4-D3)");
        var within = DivergenceFitting.CrossValidateWithinSweep(examples, cv.Models);
        progress?.Invoke("in-sample ceilings (protocol 4-D)");
        var all = DivergenceFitting.Fit(examples, batchCurvature: batchCurvature);
        var ceilings = new DivergenceCeilings(all, DivergenceFitting.Score(all, examples).Boundary,
            DivergenceCeiling.PerGroupThreshold(examples), DivergenceCeiling.PerGroupThreshold(examples, all.Rule));
        return new DivergenceValidationResult(examples.Count, examples.Count(x => x.Diverged), examples.Select(x => x.Group).Distinct().Count(), assumption, cv)
        {
            WithinSweep = within, Ceilings = ceilings, BatchCurvature = batchCurvature,
        };
    }
}
