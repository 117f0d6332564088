using HyperLaws.Theory.Verification;

namespace HyperLaws.Cli.Commands.Verify;

/// <summary>The settings of <c>hyperlaws verify</c>.</summary>
/// <param name="Options">The sweep: constants, budgets and their range, whole batches or not.</param>
/// <param name="OutDir">Folder for the figures and verify.json.</param>
/// <param name="Figures">Draw the figures.</param>
/// <param name="Json">Print one JSON object instead of the tables.</param>
/// <param name="Quiet">No progress lines.</param>
internal sealed record VerifySettings(VerificationOptions Options, string OutDir, bool Figures, bool Json, bool Quiet);
