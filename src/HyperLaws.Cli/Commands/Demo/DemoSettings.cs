using HyperLaws.Cli.Output;

namespace HyperLaws.Cli.Commands.Demo;

/// <summary>The settings of <c>hyperlaws demo</c>, each read and checked once.</summary>
/// <param name="OutDir">The folder for the demo's report, figures and JSON.</param>
/// <param name="DataRoot">The data folder (checked to exist) holding MultiPowerLaw/loss_curve_repo and priors/.</param>
/// <param name="Laws">The schedule-to-loss laws to fit, compare and plan with.</param>
/// <param name="Quiet">Print only the verdicts and the plan: no section rules, tables or progress.</param>
/// <param name="FitCache">The fit cache, or null with --no-fit-cache.</param>
/// <param name="Parallel">Step 1's fits side by side (the default); false with the hidden --sequential (tests, timings).</param>
internal sealed record DemoSettings(string OutDir, string DataRoot, IReadOnlyList<string> Laws, bool Quiet, FitCacheFolder? FitCache, bool Parallel = true);
