using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 1 with <c>--intervals</c>: coverage of bootstrap prediction intervals on the MPL split, per size.</summary>
/// <param name="Level">The intervals' level (share in (0, 1)).</param>
/// <param name="Replicates">Bootstrap replicates per law and size.</param>
/// <param name="Seed">The resampling seed.</param>
/// <param name="Sizes">One calibration per size asked for (<see cref="Calibration.Run"/>), in order.</param>
internal sealed record BootstrapIntervalScoreboard(double Level, int Replicates, int Seed, IReadOnlyList<CalibrationResult> Sizes) : ValidateResult(1);
