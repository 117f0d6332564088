using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 17c: each law fitted on the lr-scheduling SlimPajama runs of 33M-152M with a size law, predicting 209M and 360M.</summary>
/// <param name="Result">The protocol's result (<see cref="CrossSizeLrSchedule.Run"/>).</param>
/// <param name="Axis">The laws' time axis (--axis; steps as declared).</param>
internal sealed record LrScheduleCrossSizeScoreboard(CrossSizeResult Result, TimeAxis Axis = TimeAxis.Steps) : ValidateResult(17);
