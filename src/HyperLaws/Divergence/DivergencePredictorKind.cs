namespace HyperLaws.Divergence;

/// <summary>Which predictor a <see cref="DivergencePrediction"/> comes from.</summary>
public enum DivergencePredictorKind
{
    /// <summary>The Opt-Laws area criterion R &gt; 1 (the default of version-1 models; now the validation baseline).</summary>
    Area,

    /// <summary>The critical peak LR of <see cref="CriticalLrRule"/>: diverges when the peak exceeds eta_crit.</summary>
    Boundary,
}
