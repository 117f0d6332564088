using HyperLaws.Cli.Output;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Commands.Predict;

/// <summary>A prediction: the law, the curve at the asked steps, its interval and its terms.</summary>
/// <param name="Law">The law instantiated from LAW.json.</param>
/// <param name="Parameters">Its parameters.</param>
/// <param name="History">The schedule's LR history.</param>
/// <param name="Steps">The steps predicted at.</param>
/// <param name="LearningRates">The LR of every step of the schedule (step s at index s - 1).</param>
/// <param name="Loss">The predicted loss at each of <paramref name="Steps"/>.</param>
/// <param name="Band">The prediction interval (a bootstrapped LAW.json), or null.</param>
/// <param name="Terms">The final loss split into the law's terms (--explain), or null.</param>
internal sealed record PredictResult(
    IFittableLaw Law, double[] Parameters, ScheduleHistory History, int[] Steps, double[] LearningRates, double[] Loss, IntervalPrediction? Band, IReadOnlyList<LawTerm>? Terms)
{
    /// <summary>The law's own prediction at each step: <see cref="Loss"/> but where a stalled run's recent level was held (<see cref="PredictSettings.Hold"/>).</summary>
    public double[]? LawLoss { get; init; }

    /// <summary>Warnings on what the runs LAW.json was fitted on support (when they can be read): a step beyond their longest run.</summary>
    public IReadOnlyList<string> RangeWarnings { get; init; } = [];

    /// <summary>
    /// The losses withheld because the runs do not support them (<see cref="HyperLaws.Planning.PredictionSupport"/>): NaN in
    /// <see cref="Loss"/> and <see cref="LawLoss"/> at <see cref="WithheldAt"/>, their interval not given either.
    /// </summary>
    public WithheldLosses Withheld { get; init; } = new(null, "");

    /// <summary>True at each step whose loss is withheld (<see cref="Withheld"/>).</summary>
    public bool[] WithheldAt { get; init; } = [];

    /// <summary>The runs read whose file had a torn tail (<see cref="LawRuns.TornTails"/>), said on stderr as notes.</summary>
    public IReadOnlyList<string> TornTails { get; init; } = [];

    /// <summary>What the readers noticed about the law's runs read (<see cref="HyperLaws.Runs.RunNote"/>, the torn tails among them), for the JSON's runNotes.</summary>
    public IReadOnlyList<HyperLaws.Runs.RunNote> RunNotes { get; init; } = [];

    /// <summary>True when some predicted step holds a stalled run's recent level instead of the law's own prediction.</summary>
    public bool Held => LawLoss is not null && !LawLoss.SequenceEqual(Loss);
}
