namespace HyperLaws.Planning;

/// <summary>A rule sampled over a range of token budgets at the plan's model size, for the scaling-rules figure.</summary>
/// <param name="Name">The rule (Step Law, DeepSeek, LMO Theorem 1 through the reference, calibrated fit, ...).</param>
/// <param name="Tokens">Token budgets, increasing.</param>
/// <param name="Values">The rule's value at each budget (a learning rate, or batch tokens).</param>
/// <param name="Chosen">True for the rule the plan followed.</param>
public sealed record RuleCurve(string Name, double[] Tokens, double[] Values, bool Chosen);
