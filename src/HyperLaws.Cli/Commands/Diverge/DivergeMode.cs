namespace HyperLaws.Cli.Commands.Diverge;

/// <summary>What <c>hyperlaws diverge</c> does: exactly one of its five modes.</summary>
internal enum DivergeMode
{
    /// <summary><c>--fit</c>: fit the critical peak LR on labelled runs and write DIV.json.</summary>
    Fit,

    /// <summary><c>--score DIV.json</c>: score a saved predictor on labelled runs.</summary>
    Score,

    /// <summary><c>--validate</c>: protocol 4's divergence part on shared/data.</summary>
    Validate,

    /// <summary><c>--model DIV.json</c>: predict one schedule.</summary>
    Predict,

    /// <summary><c>--calibrate DIV.json</c>: move a saved boundary onto a sweep's labelled runs (one offset of ln eta_crit) and write DIV.json.</summary>
    Calibrate,
}
