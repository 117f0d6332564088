using System.Text.Json.Nodes;
using HyperLaws.Laws.Joint;

namespace HyperLaws.Cli.Commands.LrPrior;

/// <summary>The fitted LR-axis prior and the document written for it (the prior, its sources and per-cell fits).</summary>
/// <param name="Fit">The prior and the per-cell fits it was made from.</param>
/// <param name="Document">The prior file's JSON (<see cref="LrAxisPriorDocument"/>), fitted numbers only.</param>
internal sealed record LrPriorResult(LrAxisPriorFit Fit, JsonObject Document);
