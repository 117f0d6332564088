namespace HyperLaws.Planning;

/// <summary>
/// What a published LR/batch rule says for a model of N parameters trained on D tokens, carried over to the optimizer.
/// </summary>
/// <param name="Rule">The rule's name (Step Law, DeepSeek).</param>
/// <param name="LearningRate">Peak learning rate, in the optimizer's own units.</param>
/// <param name="BatchTokens">Tokens per optimizer step.</param>
/// <param name="Momentum">The momentum (beta1) of the recipe the rule was fitted with.</param>
/// <param name="Note">How the rule's AdamW value was carried over to the optimizer (empty for AdamW and signSGD).</param>
public sealed record AnchorPoint(string Rule, double LearningRate, double BatchTokens, double Momentum, string Note);
