namespace HyperLaws.Validation;

/// <summary>One law's (or the baseline's) prediction of one run's final validation loss.</summary>
/// <param name="Set">The run's data set.</param>
/// <param name="Run">The predicted run.</param>
/// <param name="Law">The law, or <c>last</c> (the baseline: the last validation loss fitted on).</param>
/// <param name="FittedOn">The runs fitted on (the run itself for protocol 14a).</param>
/// <param name="Points">Validation losses fitted on.</param>
/// <param name="Step">The step predicted (the run's last).</param>
/// <param name="Predicted">The predicted loss (NaN when the fit failed).</param>
/// <param name="Actual">The logged validation loss at <paramref name="Step"/>.</param>
/// <param name="Failure">Why there is no prediction, or null.</param>
public sealed record CrossDataPrediction(string Set, string Run, string Law, string FittedOn, int Points, int Step, double Predicted, double Actual, string? Failure)
{
    /// <summary>The terms the fit held at a prior because the fitted curve could not identify them (<c>IdentifiedFitter</c>); empty when none.</summary>
    public IReadOnlyList<string> Priors { get; init; } = [];

    /// <summary>What protocol 14e/15e's evidence rule decided for this fit (<c>IdentifiedFit.Evidence</c>); null when it did not decide.</summary>
    public string? Evidence { get; init; }

    /// <summary>The stall check of the fitted curve (<see cref="HyperLaws.Fitting.StallCheck"/>); null for the baseline, a failed fit or several fitted curves.</summary>
    public HyperLaws.Fitting.CurveStall? Stall { get; init; }

    /// <summary>The law's own prediction (NaN for the baseline and a failed fit): <see cref="Predicted"/> unless the stall check held the recent level.</summary>
    public double LawPredicted { get; init; } = double.NaN;

    /// <summary>True when <see cref="Predicted"/> is the stalled curve's recent level instead of the law's own prediction.</summary>
    public bool Held { get; init; }

    /// <summary>For <c>select</c>: the law chosen (by the held-out rule of protocol 14c); null otherwise.</summary>
    public string? Chosen { get; init; }

    /// <summary>True when the prediction is finite and not positive: a cross-entropy cannot be.</summary>
    public bool NonPhysical => double.IsFinite(Predicted) && !(Predicted > 0);

    /// <summary>|predicted - actual| / actual; NaN without a finite prediction.</summary>
    public double RelativeError => double.IsFinite(Predicted) ? Math.Abs(Predicted - Actual) / Actual : double.NaN;
}
