namespace HyperLaws.Cli.Output;

/// <summary>What a validated plan.json says (<see cref="PlanDocument.Parse"/>): the request and the plan's headline.</summary>
/// <param name="Parameters">Model size in parameters.</param>
/// <param name="Tokens">Training budget in tokens.</param>
/// <param name="Optimizer">The optimizer's name.</param>
/// <param name="Law">The law that planned.</param>
/// <param name="BatchTokens">Tokens per optimizer step.</param>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="Best">The best schedule's spec.</param>
/// <param name="PredictedLoss">Its predicted final loss, or null when none was predicted.</param>
/// <param name="RunnerUps">How many runner-up schedules the plan lists.</param>
public sealed record PlanSummary(double Parameters, double Tokens, string Optimizer, string Law, double BatchTokens, double Steps, string Best, double? PredictedLoss, int RunnerUps);
