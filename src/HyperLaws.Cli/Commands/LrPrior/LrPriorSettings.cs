namespace HyperLaws.Cli.Commands.LrPrior;

/// <summary>The settings of <c>hyperlaws lr-prior</c>, each read and checked once.</summary>
/// <param name="DataRoot">The folder laid out like shared/data; its Step Law table was checked to exist.</param>
/// <param name="OutPath">Where to write the prior.</param>
/// <param name="Json">Print one JSON object.</param>
/// <param name="Quiet">Print only the result (the command prints no progress either way).</param>
/// <param name="CurvatureInTokens">Fit the curvature as k(D) = k0 (D/1e10)^-q (--curvature-in-tokens) instead of one k.</param>
internal sealed record LrPriorSettings(string DataRoot, string OutPath, bool Json, bool Quiet, bool CurvatureInTokens = false);
