using HyperLaws.Planning;

namespace HyperLaws.Cli.Commands.Plan;

/// <summary>The settings of <c>hyperlaws plan</c>, each read and checked once.</summary>
/// <param name="Request">The budget: parameters, tokens, optimizer, sequence length, batch multiple, fixed batch, runner-ups.</param>
/// <param name="Options">How to plan: laws, anchor, divergence model, LR-axis prior, fitted split, fit cache (no progress sink: the command adds it).</param>
/// <param name="Runs">The runs given with --runs, or null: the shipped Multi-Power-Law curves.</param>
/// <param name="OutDir">The folder for plan.json, report.html and the figures.</param>
/// <param name="ExportDir">The folder for the trainer's files (--export), or null.</param>
/// <param name="Json">Print one JSON object.</param>
/// <param name="Chatty">Print progress and notes on stderr (neither --json nor --quiet).</param>
/// <param name="Rerun">The command line that reruns this plan, for the provenance.</param>
internal sealed record PlanSettings(PlanRequest Request, PlanOptions Options, IReadOnlyList<string>? Runs, string OutDir, string? ExportDir, bool Json, bool Chatty, string Rerun);
