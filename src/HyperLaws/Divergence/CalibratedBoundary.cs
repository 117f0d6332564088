namespace HyperLaws.Divergence;

/// <summary>
/// A critical-LR rule calibrated on a sweep (<see cref="SweepCalibration.Fit"/>): the prior's boundary moved by one offset
/// for the sweep's cell and one per batch row seen,
/// <code>
/// ln eta_crit(run) = ln eta_prior(N, batch, D, warmup) + CellOffset + RowOffset(batch)   (RowOffset = 0 for a batch not seen)
/// P(diverge)       = sigmoid(k (ln peak - ln eta_crit(run))),   k = the prior's slope
/// </code>
/// At one batch the calibration is a shift of the prior's A, so <see cref="AtBatch"/> returns an ordinary
/// <see cref="DivergenceModel"/> (DIV.json version 2) that plan, rank and contour use unchanged.
/// </summary>
/// <param name="Prior">The smooth rule the offsets are relative to.</param>
/// <param name="CellOffset">d_g: the cell's offset of ln eta_crit.</param>
/// <param name="RowOffsets">d_gb per batch row seen (tokens per step -> offset); empty without a row term.</param>
/// <param name="Runs">How many labelled runs the offsets were fitted on.</param>
public sealed record CalibratedBoundary(CriticalLrRule Prior, double CellOffset, IReadOnlyDictionary<double, double> RowOffsets, int Runs)
{
    /// <summary>The offset of ln eta_crit at <paramref name="batchTokens"/>: the cell's plus that row's (0 for a row not seen).</summary>
    public double Offset(double batchTokens) => CellOffset + (RowOffsets.TryGetValue(batchTokens, out double d) ? d : 0);

    /// <summary>The calibrated rule at one batch size, as a divergence model (the prior's A shifted by <see cref="Offset"/>).</summary>
    public DivergenceModel AtBatch(double batchTokens)
    {
        if (!(batchTokens > 0) || !double.IsFinite(batchTokens)) throw new ArgumentOutOfRangeException(nameof(batchTokens), batchTokens, "batch tokens must be positive and finite.");
        return new DivergenceModel(Prior with { A = Prior.A + Offset(batchTokens) });
    }

    /// <summary>The calibrated eta_crit of a run.</summary>
    public double CriticalPeakLr(DivergenceExample x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Math.Exp(Prior.LnCritical(x) + Offset(x.BatchTokens));
    }

    /// <summary>The calibrated verdict on a run (its eta_crit, margin and P(diverge)), as <see cref="DivergenceModel.Predict"/> gives the prior's.</summary>
    public DivergencePrediction Predict(DivergenceExample x) => AtBatch(x.BatchTokens).Predict(x);
}
