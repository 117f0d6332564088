using System.Globalization;
using HyperLaws.Laws;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// One run of the 124M schedule grid (protocol 3) with what the protocol needs to know about it: base
/// LR, horizon, schedule family and label, and its target, the final validation loss.
/// </summary>
public sealed class GridRun
{
    private readonly Lazy<ScheduleHistory> _history;

    private GridRun(TrainingRun run, double lr, string family, string label, double? fraction, string? decay, double finalLoss)
    {
        Run = run;
        Lr = lr;
        Family = family;
        Label = label;
        CooldownFraction = fraction;
        DecayType = decay;
        FinalLoss = finalLoss;
        _history = new Lazy<ScheduleHistory>(() => new ScheduleHistory(run.LearningRates));
    }

    /// <summary>The run as the W&amp;B reader read it.</summary>
    public TrainingRun Run { get; }

    /// <summary>The run's name.</summary>
    public string Name => Run.Name;

    /// <summary>Base (peak) learning rate, config.lr.</summary>
    public double Lr { get; }

    /// <summary>Total steps S of the run (config.iterations).</summary>
    public int Horizon => Run.Steps;

    /// <summary>"constant", "wsd", "cosine" or "wsd-twostage" (the lr-scheduling extensions' two-stage drop).</summary>
    public string Family { get; }

    /// <summary>
    /// The schedule without LR and horizon: "constant", "wsd-linear-0.2", "wsd-sqrt-0.2", "cosine-10%",
    /// "cosine-0" (to a final LR below 1% of the peak).
    /// </summary>
    public string Label { get; }

    /// <summary>The WSD cooldown fraction (config.wsd_fract_decay); null for the other families.</summary>
    public double? CooldownFraction { get; }

    /// <summary>The WSD cooldown shape (linear, sqrt, ...); null for the other families.</summary>
    public string? DecayType { get; }

    /// <summary>
    /// The target: history.final-val, the loss on the full validation set after the last step (the
    /// reader's tag finalValLoss); NaN when the export has none at the last step.
    /// </summary>
    public double FinalLoss { get; }

    /// <summary>True when the reader marked the run diverged (its loss exploded).</summary>
    public bool Diverged => Run.Diverged;

    /// <summary>The step at which the reader saw the loss explode, or null.</summary>
    public int? DivergedAt => Run.Metadata.Tags.TryGetValue("divergedAt", out var s) ? int.Parse(s, CultureInfo.InvariantCulture) : null;

    /// <summary>True for a WSD run with a linear cooldown (the runs whose fraction the protocol varies).</summary>
    public bool IsLinearCooldown => Family == "wsd" && DecayType == "linear";

    /// <summary>The run's LR history with prefix sums (built on first use, then shared by every law).</summary>
    public ScheduleHistory History => _history.Value;

    /// <summary>
    /// The last step at which the LR is still at its peak; steps after it are the cooldown (or the decay
    /// of a cosine). For a constant run, the last step.
    /// </summary>
    public int LastPeakStep => HyperLaws.Evaluation.LrEnsemble.LastPeakStep(Run.LearningRates);

    /// <summary>Classifies a run read by the W&amp;B reader from its tags (scheduler, cooldownFraction, decayType, lr).</summary>
    /// <exception cref="ValidationDataException">The tags the protocol needs are missing or unknown.</exception>
    public static GridRun From(TrainingRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var tags = run.Metadata.Tags;
        string who = run.Metadata.Source ?? run.Name;
        string Tag(string key) => tags.TryGetValue(key, out var v) ? v
            : throw new ValidationDataException($"{who}: no '{key}' in the run's metadata (not an lr-scheduling W&B export?).");
        double Number(string key) => double.TryParse(Tag(key), NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x
            : throw new ValidationDataException($"{who}: '{key}' is not a number ({Tag(key)}).");

        double lr = Number("lr");
        double finalLoss = double.NaN;
        if (tags.TryGetValue("finalValLoss", out var fv) && tags.TryGetValue("finalValStep", out var fs)
            && double.TryParse(fs, NumberStyles.Float, CultureInfo.InvariantCulture, out double step) && step == run.Steps)
            finalLoss = double.Parse(fv, NumberStyles.Float, CultureInfo.InvariantCulture);

        switch (Tag("scheduler"))
        {
            case "wsd":
            {
                double fraction = Number("cooldownFraction");
                if (fraction == 0) return new GridRun(run, lr, "constant", "constant", null, null, finalLoss);
                string decay = Tag("decayType");
                return new GridRun(run, lr, "wsd", FormattableString.Invariant($"wsd-{decay}-{fraction:0.###}"), fraction, decay, finalLoss);
            }
            case "cos":
            {
                double ratio = run.LearningRates[^1] / lr;
                string label = ratio < 0.01 ? "cosine-0" : FormattableString.Invariant($"cosine-{100 * ratio:0.#}%");
                return new GridRun(run, lr, "cosine", label, null, null, finalLoss);
            }
            case "none" or "constant":
                return new GridRun(run, lr, "constant", "constant", null, null, finalLoss);
            case "wsd_twostage":
                // The two-stage drop of the lr-scheduling horizon extensions (protocol 17p): its own family, never a plan's schedule.
                return new GridRun(run, lr, "wsd-twostage", "wsd-twostage", null, null, finalLoss);
            case var s:
                throw new ValidationDataException($"{who}: unknown scheduler '{s}' (the grid has wsd, wsd_twostage, cos and constant runs).");
        }
    }

    /// <summary>Label, LR and horizon, e.g. <c>wsd-linear-0.2 lr=0.001 S=8000</c>.</summary>
    public override string ToString() => FormattableString.Invariant($"{Label} lr={Lr:G4} S={Horizon}");
}
