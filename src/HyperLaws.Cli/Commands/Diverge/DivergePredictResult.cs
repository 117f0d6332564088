using HyperLaws.Divergence;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Commands.Diverge;

/// <summary>One schedule's divergence prediction.</summary>
/// <param name="Schedule">The schedule checked.</param>
/// <param name="Profile">Its sampled LR profile.</param>
/// <param name="WarmupSteps">Steps until it first reaches its peak.</param>
/// <param name="Prediction">The predictor's verdict.</param>
internal sealed record DivergePredictResult(LrSchedule Schedule, LrProfile Profile, int WarmupSteps, DivergencePrediction Prediction);
