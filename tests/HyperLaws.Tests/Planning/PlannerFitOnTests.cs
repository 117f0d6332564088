using HyperLaws.Planning;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary><see cref="PlanOptions.FitOn"/>: the planner's law is fitted on the chosen split, the other where a run logs none of it.</summary>
public sealed class PlannerFitOnTests
{
    private static TrainingRun Run(string name, bool train, bool validation)
    {
        var obs = new List<LossObservation>();
        for (int s = 10; s <= 100; s += 10)
        {
            if (train) obs.Add(new LossObservation(s, 4 - s / 100.0, LossSplit.Train));
            if (validation && s % 20 == 0) obs.Add(new LossObservation(s, 3.5 - s / 100.0, LossSplit.Validation));
        }
        return new TrainingRun(new RunMetadata(name), Enumerable.Repeat(1e-3, 100).ToArray(), obs);
    }

    [Fact]
    public void TargetsTakeTheChosenSplitAndFallBackToTheOther()
    {
        TrainingRun both = Run("both", true, true), trainOnly = Run("train", true, false), valOnly = Run("val", false, true);
        var onTrain = Planner.Targets([both, trainOnly, valOnly]);
        Assert.Equal([10, 10, 5], onTrain.Select(t => t.Steps.Length));
        Assert.Equal(3.9, onTrain[0].Loss[0], 12);
        var onVal = Planner.Targets([both, trainOnly, valOnly], LossSplit.Validation);
        Assert.Equal([5, 10, 5], onVal.Select(t => t.Steps.Length));
        Assert.Equal(3.3, onVal[0].Loss[0], 12);
        Assert.Equal(20, onVal[0].Steps[0]);
        Assert.Equal(LossSplit.Train, new PlanOptions().FitOn);
    }
}
