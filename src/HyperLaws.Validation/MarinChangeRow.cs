using HyperLaws.Readers;

namespace HyperLaws.Validation;

/// <summary>One single-change row of protocol 24 (<see cref="MarinChanges"/>) under one variant of the law.</summary>
/// <param name="Optimizer">The optimizer, lower case.</param>
/// <param name="Cell">The cell's label (optimizer, size, Chinchilla multiple).</param>
/// <param name="Change">The hyperparameter the row changes alone.</param>
/// <param name="Variant">The law's variant (<see cref="MarinChanges.Default"/> or <see cref="MarinChanges.HeldBatch"/>).</param>
/// <param name="Value">The row's value of the changed hyperparameter.</param>
/// <param name="BaselineValue">The baseline's value of it.</param>
/// <param name="BaselineLoss">The baseline row's loss (the no-change predictor).</param>
/// <param name="Actual">The row's loss (+infinity where the table prints <c>&gt;10</c> or NaN).</param>
/// <param name="Predicted">The law's prediction: L(baseline) + f(row) - f(baseline).</param>
/// <param name="Diverged">Whether the row's loss exceeds 2x its cell's best (scored apart).</param>
/// <param name="Name">The run's W&amp;B name.</param>
public sealed record MarinChangeRow(string Optimizer, string Cell, MarinChange Change, string Variant, double Value, double BaselineValue,
    double BaselineLoss, double Actual, double Predicted, bool Diverged, string Name)
{
    /// <summary>|Predicted - Actual| / Actual.</summary>
    public double Error => Math.Abs(Predicted - Actual) / Actual;

    /// <summary>|BaselineLoss - Actual| / Actual.</summary>
    public double BaselineError => Math.Abs(BaselineLoss - Actual) / Actual;

    /// <summary>Whether the row's loss is within the tables' rounding (<see cref="MarinChanges.Tie"/>) of the baseline's: no sign to agree with.</summary>
    public bool IsTie => Math.Abs(Actual - BaselineLoss) <= MarinChanges.Tie + 1e-12;

    /// <summary>Whether the law's change (Predicted - BaselineLoss) has the row's sign (false for a tie, a law change of exactly 0, or a change that is NaN).</summary>
    public bool SignAgrees
    {
        get
        {
            double law = Predicted - BaselineLoss, actual = Actual - BaselineLoss;
            // Math.Sign throws on NaN (an infinite baseline or a law that failed): no sign to agree with.
            return !IsTie && !double.IsNaN(law) && !double.IsNaN(actual) && Math.Sign(law) == Math.Sign(actual);
        }
    }
}
