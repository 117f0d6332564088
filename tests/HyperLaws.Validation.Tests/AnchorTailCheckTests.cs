using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary><see cref="AnchorTailCheck"/>: the measurement of docs/VALIDATION.md "The plan's anchor without a final evaluation" hides each run's final evaluation.</summary>
public sealed class AnchorTailCheckTests
{
    private static TrainingRun Run(int steps, IEnumerable<LossObservation> points, IReadOnlyDictionary<string, string> tags) =>
        new(new RunMetadata("r") { Tags = tags }, Enumerable.Repeat(1e-3, steps).ToArray(), [.. points]);

    [Fact]
    public void The_measurement_hides_the_final_evaluation_and_its_line_is_least_squares()
    {
        var tags = new Dictionary<string, string> { ["finalValLoss"] = "3.1", ["finalValStep"] = "1000", ["other"] = "x" };
        var run = Run(1000, [new(900, 3.3), new(1000, 3.25), new(800, 3.4, LossSplit.Validation), new(1000, 3.2, LossSplit.Validation)], tags);
        Assert.Equal(3.1, AnchorTailCheck.FinalEvaluation(run));
        var val = AnchorTailCheck.Hide(run, LossSplit.Validation);
        Assert.Equal([new LossObservation(800, 3.4, LossSplit.Validation)], val.Observations);
        Assert.Equal(["other"], val.Metadata.Tags.Keys);
        Assert.True(double.IsNaN(AnchorTailCheck.FinalEvaluation(val)));
        Assert.Equal([900, 1000], AnchorTailCheck.Hide(run, LossSplit.Train).Observations.Select(o => o.Step));
        // Without the tag, a validation loss at the last step is the final evaluation.
        Assert.Equal(3.2, AnchorTailCheck.FinalEvaluation(run with { Metadata = run.Metadata with { Tags = new Dictionary<string, string>() } }));
        // The line through (1, 2), (2, 4), (3, 6) read at 10, and one point read as itself.
        Assert.Equal(20, AnchorTailCheck.Line([new(1, 2), new(2, 4), new(3, 6)], 10), 12);
        Assert.Equal(3.3, AnchorTailCheck.Line([new(900, 3.3)], 1000));
    }
}
