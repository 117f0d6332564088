namespace HyperLaws.Fitting;

/// <summary>
/// <see cref="StallCheck"/>'s verdict on one fitted curve: over the second half of its fitted steps (the window), the observed
/// trend of the loss and the fitted law's, with the noise of the law's residuals, and whether the curve has stopped improving
/// where the law still predicts a fall (docs/VALIDATION.md, "Curves that stop improving: a stall check").
/// </summary>
/// <param name="Curve">The fitted curve's name.</param>
/// <param name="Tested">False when the window holds fewer than <see cref="StallCheck.MinPoints"/> fitted points (then nothing else is set but the counts).</param>
/// <param name="Stalled">True when both tests reject (see <see cref="StallCheck"/>): the forecast beyond <paramref name="ToStep"/> is then <paramref name="Level"/>.</param>
/// <param name="Points">Fitted points in the window.</param>
/// <param name="FromStep">The window's first fitted step.</param>
/// <param name="ToStep">The window's last fitted step T (the curve's last fitted step).</param>
/// <param name="ObservedChange">The observed trend's change over the window, b_obs (T - t_first) (negative: the loss falls).</param>
/// <param name="LawChange">The law's fitted values' trend over the same steps, b_law (T - t_first).</param>
/// <param name="Noise">The standard error of the residuals' trend over the window, se(b_r) (T - t_first): the change the noise can make.</param>
/// <param name="Critical">The one-sided Student-t quantile t_{1 - <see cref="StallCheck.Level"/>, n - 2} both tests compare with.</param>
/// <param name="Level">The recent level: the observed trend line's value at <paramref name="ToStep"/> (what a stalled curve's forecast holds).</param>
public sealed record CurveStall(string Curve, bool Tested, bool Stalled, int Points, int FromStep, int ToStep,
    double ObservedChange, double LawChange, double Noise, double Critical, double Level)
{
    /// <summary>The structured reason's code in JSON (<c>"stall"</c>).</summary>
    public const string Code = "stall";

    /// <summary>What was seen, one phrase (no consequence): the window, the observed change with its noise, the law's fall; null when the curve is not stalled.</summary>
    public string? Finding(string law) => !Stalled ? null : FormattableString.Invariant(
        $"{law}: {Curve} has stopped improving: over its last fitted steps {FromStep}-{ToStep} ({Points} points) the loss changed by {ObservedChange:+0.####;-0.####} (trend; noise +-{Critical * Noise:0.####} at the one-sided {StallCheck.Level:P0} level) while the law's fit falls by {-LawChange:0.####}");

    /// <summary>
    /// One line for a console: what was seen and what the forecast with <paramref name="hold"/> does; null when the curve is not stalled.
    /// A front end adds how its user turns the hold off (the CLI: its stall-check option).
    /// </summary>
    public string? Describe(string law, StallHold hold = StallCheck.DefaultHold) => !Stalled ? null : Finding(law) + (hold == StallHold.Progress
        ? FormattableString.Invariant($": the law's further progress beyond step {ToStep} is not supported by the run, so the forecast holds its progress at the recent level {Level:G5} and keeps only the law's drop from later LR changes (docs/VALIDATION.md, \"A stall hold of the progress alone\")")
        : FormattableString.Invariant($": the law's further fall beyond step {ToStep} is not supported by the run, so the forecast holds the recent level {Level:G5} (docs/VALIDATION.md, \"Curves that stop improving\")"));
}
