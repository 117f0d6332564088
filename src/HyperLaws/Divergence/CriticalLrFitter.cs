namespace HyperLaws.Divergence;

/// <summary>
/// Fits <see cref="CriticalLrRule"/> to labelled runs. The rule's logistic P = sigmoid(k (ln peak - ln eta_crit))
/// with ln eta_crit linear in the log features is a logistic regression on
/// f = (ln peak, ln N/NRef, ln batch/BatchRef, ln D/TokensRef [, ln warmup/WarmupRef] [, (ln batch/BatchRef)^2]):
/// z = w0 + sum_j w_j (f_j - m_j)/s_j, so k = w_peak/s_peak and, solving z = 0 for ln peak,
/// A = m_peak - (w0 - sum_{j != peak} w_j m_j / s_j) / k and each exponent = -(w_j / s_j) / k.
/// The regression is <see cref="LogisticClassifier.Fit"/> (IRLS, ridge 1e-2 on the standardised weights):
/// deterministic, seconds on the Step Law grid. A fit whose LR weight is not positive (more LR, less
/// divergence) has no boundary on the LR axis and is refused.
/// </summary>
public static class CriticalLrFitter
{
    /// <summary>Fits the boundary to labelled runs (logistic regression, see the type's remarks).</summary>
    /// <param name="examples">Labelled runs, both diverged and stable ones.</param>
    /// <param name="fitWarmup">Whether to fit the warmup exponent W (else W = 0: runs with one warmup length cannot fix it).</param>
    /// <param name="batchCurvature">Whether to fit G, the curvature of ln eta_crit in ln batch (else G = 0; docs/VALIDATION.md, protocol 4-D).</param>
    /// <returns>The fitted rule.</returns>
    /// <exception cref="ArgumentException">No runs, one class only, or a fit with no boundary on the LR axis.</exception>
    public static CriticalLrRule Fit(IReadOnlyList<DivergenceExample> examples, bool fitWarmup = false, bool batchCurvature = false)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) throw new ArgumentException("no labelled runs to fit.");
        if (!examples.Any(e => e.Diverged) || examples.All(e => e.Diverged))
            throw new ArgumentException($"the {examples.Count} labelled runs need both diverged and non-diverged examples to fit a divergence boundary.");
        var features = examples.Select(x => Features(x, fitWarmup, batchCurvature)).ToList();
        var clf = LogisticClassifier.Fit(features, examples.Select(x => x.Diverged).ToList());
        double k = clf.Weights[0] / clf.Scale[0];
        if (!(k > 0) || !double.IsFinite(k))
            throw new ArgumentException("the labelled runs do not diverge more often at higher peak LRs: there is no divergence boundary on the LR axis to fit.");
        // z = w0 + sum_j (w_j/s_j) f_j - sum_j (w_j/s_j) m_j; z = 0 at ln peak = ln eta_crit.
        double constant = clf.Intercept;
        for (int j = 0; j < clf.Weights.Length; j++) constant -= clf.Weights[j] / clf.Scale[j] * clf.Mean[j];
        double Exponent(int j) => j < clf.Weights.Length ? -(clf.Weights[j] / clf.Scale[j]) / k : 0;
        return new CriticalLrRule(-constant / k, Exponent(1), Exponent(2), Exponent(3), fitWarmup ? Exponent(4) : 0, k)
        {
            G = batchCurvature ? Exponent(fitWarmup ? 5 : 4) : 0,
        };
    }

    private static double[] Features(DivergenceExample x, bool fitWarmup, bool batchCurvature)
    {
        double tokens = x.Tokens, lb = Math.Log(x.BatchTokens / CriticalLrRule.BatchRef);
        double[] f = [Math.Log(x.PeakLr), Math.Log(x.N / CriticalLrRule.NRef), lb, Math.Log(tokens / CriticalLrRule.TokensRef)];
        if (fitWarmup) f = [.. f, Math.Log(Math.Max(1, x.WarmupSteps) / CriticalLrRule.WarmupRef)];
        return batchCurvature ? [.. f, lb * lb] : f;
    }
}
