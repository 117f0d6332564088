using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 9 on the splits of protocols 2, 3 and 6 (<c>--intervals</c>): split-conformal intervals calibrated on the training runs.</summary>
/// <param name="Protocol">The protocol whose split was calibrated (2, 3 or 6; the JSON's <c>protocol</c> key).</param>
/// <param name="Level">The intervals' level (share in (0, 1)).</param>
/// <param name="Results">One coverage result per law and split (<see cref="IntervalCoverage"/>).</param>
internal sealed record ConformalIntervalScoreboard(int Protocol, double Level, IReadOnlyList<IntervalCoverageResult> Results) : ValidateResult(Protocol);
