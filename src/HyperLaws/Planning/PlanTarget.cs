namespace HyperLaws.Planning;

/// <summary>
/// What a plan trains: a model of <see cref="Parameters"/> on <see cref="Tokens"/> tokens at <see cref="BatchTokens"/> tokens
/// per step for <see cref="Steps"/> steps. A <see cref="IPlanLaw"/> predicts the final loss of a schedule at this point.
/// </summary>
public sealed record PlanTarget(double Parameters, double Tokens, double BatchTokens, int Steps);
