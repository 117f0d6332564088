namespace HyperLaws.Validation;

/// <summary>The result of protocol 3h or 17h (<see cref="LrHoldOut"/>).</summary>
/// <param name="Protocol">"3h" or "17h".</param>
/// <param name="Rankers">The rankers in report order.</param>
/// <param name="Pairs">Per fold, set and ranker, the pairs with a candidate at the held-out LR.</param>
/// <param name="Drop">Per fraction, the drop check on the full fit.</param>
/// <param name="Notes">Each member left out (or level set aside) by <c>rank</c>'s drop, where it happened.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record LrHoldOutResult(string Protocol, IReadOnlyList<string> Rankers, IReadOnlyList<LrHoldOutPairs> Pairs, IReadOnlyList<LrHoldOutDropCheck> Drop,
    IReadOnlyList<string> Notes, TimeSpan Elapsed);
