using static System.FormattableString;

namespace HyperLaws.Theory;

/// <summary>
/// Carries hyperparameters tuned at a budget T0 to a budget T (r = T/T0) by each regime's power laws
/// (../shared/docs/lmo-scaling.md, "Budget transfer"): b = b0 r^cb, alpha = alpha0 r^ca, eta = eta0 r^ce
/// with the exponents of <see cref="ScalingExponents"/>. Independent of the unknown constants C1..C3.
/// </summary>
/// <remarks>
/// After rounding b to a multiple, the other variables follow the rounded batch q = b/b_rule at
/// fixed T: at fixed alpha (Theorem 1) eta* ~ sqrt(b), from eta* = sqrt(C1 b/(T C2 (ca/alpha + cb)));
/// on the ridge (Theorems 2-3, ridge paths) alpha = b/u* ~ b and eta* ~ sqrt(b alpha) ~ b; in regime A
/// eta* does not depend on b.
/// </remarks>
public static class BudgetTransfer
{
    /// <summary>Carries the request's hyperparameters from its source budget to its target budget by the regime's exponents, then rounds the batch and adjusts the others to it (see the remarks).</summary>
    /// <exception cref="ArgumentException">The request is invalid (<see cref="TransferRequest.Validate"/>).</exception>
    public static TransferResult Transfer(TransferRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var warnings = new List<string>();
        bool valid = true;

        double r = request.ToTokens / request.FromTokens;
        var e = ScalingExponents.For(request.Regime, request.RidgeExponent ?? 0);
        double alpha0 = 1 - request.Momentum;
        double ruleBatch = request.Batch * Math.Pow(r, e.Batch);
        double alpha = alpha0 * Math.Pow(r, e.Alpha);
        double eta = request.LearningRate * Math.Pow(r, e.LearningRate);

        double batch = ruleBatch;
        if (ruleBatch < 1)
        {
            warnings.Add(Invariant($"the rule gives b = {ruleBatch:G4} < 1: clipped to 1 (the budget is below the regime's burn-in)"));
            batch = 1;
            valid = false;
        }
        if (request.BatchMultiple is { } m)
        {
            double rounded = Math.Max(m, Math.Round(batch / m, MidpointRounding.AwayFromZero) * m);
            if (rounded != batch)
            {
                double q = rounded / batch;
                switch (request.Regime)
                {
                    case TuningRegime.FixedMomentum:
                        eta *= Math.Sqrt(q);
                        break;
                    case TuningRegime.FixedBatch or TuningRegime.Joint or TuningRegime.Ridge:
                        alpha *= q;
                        eta *= q;
                        break;
                }
                if (Math.Abs(q - 1) > 0.05)
                    warnings.Add(Invariant($"rounding b from {batch:G6} to {rounded:G6} (multiple of {m:G6}) moved it by {100 * (q - 1):+0.0;-0.0}%; eta{(request.Regime is TuningRegime.FixedMomentum ? "" : " and alpha")} re-derived for the rounded batch"));
                batch = rounded;
            }
        }

        if (alpha > 1)
        {
            warnings.Add(Invariant($"the rule gives alpha = 1 - beta = {alpha:G4} > 1, i.e. b > u*(T): clipped to alpha = 1 (no momentum); the regime's scaling does not hold here"));
            alpha = 1;
            valid = false;
        }
        if (request.Regime == TuningRegime.FixedMomentum && request.Batch <= 1)
            warnings.Add("b0 = 1 may be in burn-in, where b* stays 1 and eta* ~ T^-1/2: the sqrt(T) batch rule may overshoot");
        if (request.Regime == TuningRegime.LrOnly)
            warnings.Add("LR-only transfer keeps b and beta: the proxy then stalls at its noise floor as T grows");
        double decades = Math.Abs(Math.Log10(r));
        if (decades > 4)
            warnings.Add(Invariant($"extrapolating over {decades:F1} decades of budget: check the rule at an intermediate budget if you can"));
        if (r < 1)
            warnings.Add("the target budget is smaller than the source: the rules are applied in reverse");

        double iterations = request.ToTokens / (batch * (request.SequenceLength ?? 1));
        if (iterations < 1)
        {
            warnings.Add(Invariant($"the batch ({batch:G6}) exceeds the target budget: fewer than one iteration"));
            valid = false;
        }
        return new TransferResult(request, r, e, ruleBatch, eta, alpha, batch, iterations, valid, warnings);
    }
}
