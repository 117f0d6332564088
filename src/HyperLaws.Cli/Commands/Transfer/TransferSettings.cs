using HyperLaws.Theory;

namespace HyperLaws.Cli.Commands.Transfer;

/// <summary>The settings of <c>hyperlaws transfer</c>: the core's request, and how to show the result.</summary>
/// <param name="Request">The tuned point, the budgets and the batch rounding.</param>
/// <param name="Json">Print one JSON object instead of the table.</param>
internal sealed record TransferSettings(TransferRequest Request, bool Json);
