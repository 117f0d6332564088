using HyperLaws.Planning;
using HyperLaws.Runs;

namespace HyperLaws.Tests.Planning;

using Xunit;

/// <summary>
/// The plan's sequence length when none is given (<see cref="PlanRequest.SequenceLengthFromRuns"/>, <see cref="Planner.SequenceLengthOf"/>;
/// found on protocol 19's 8,192-token MLPerf logs, planned as "128 x 2048"): the runs' own when they all state the same one, with a
/// reason; the default with a warning when they state different ones or some state none; a given length is never changed.
/// </summary>
public sealed class PlanSequenceLengthTests
{
    private static TrainingRun Run(string name, int? length) =>
        new(new RunMetadata(name) { SequenceLength = length }, [1e-3, 1e-3], [new LossObservation(2, 3.0)]);

    private static readonly PlanRequest NotGiven = new(8e9, 1.6e9, TrainingOptimizer.AdamW) { SequenceLengthFromRuns = true };

    [Fact]
    public void Runs_that_all_state_one_length_give_it_with_a_reason()
    {
        var (request, reason, warning) = Planner.SequenceLengthOf(NotGiven, [Run("a", 8192), Run("b", 8192), Run("c", 8192)]);
        Assert.Equal(8192, request.SequenceLength);
        Assert.Null(warning);
        Assert.NotNull(reason);
        Assert.Equal(ReasonKind.SequenceLength, reason.Kind);
        Assert.Equal(8192, reason.Chosen);
        Assert.Equal(3, reason.Q("runs"));
        Assert.Equal(PlanRequest.DefaultSequenceLength, reason.Q("default"));
    }

    [Fact]
    public void A_given_length_is_kept_whatever_the_runs_state()
    {
        var given = NotGiven with { SequenceLength = 4096, SequenceLengthFromRuns = false };
        var (request, reason, warning) = Planner.SequenceLengthOf(given, [Run("a", 8192), Run("b", 8192)]);
        Assert.Same(given, request);
        Assert.Null(reason);
        Assert.Null(warning);
    }

    [Fact]
    public void Runs_that_disagree_or_partly_state_none_keep_the_default_with_a_warning()
    {
        var (request, reason, warning) = Planner.SequenceLengthOf(NotGiven, [Run("a", 8192), Run("b", 4096), Run("c", 8192)]);
        Assert.Equal(PlanRequest.DefaultSequenceLength, request.SequenceLength);
        Assert.Null(reason);
        Assert.NotNull(warning);
        Assert.Equal(WarningKind.RunsSequenceLengthUnsettled, warning.Kind);
        Assert.Equal([4096.0, 8192.0], warning.Values);
        Assert.Equal(0, warning.Q("unstated"));

        (request, reason, warning) = Planner.SequenceLengthOf(NotGiven, [Run("a", 8192), Run("b", null)]);
        Assert.Equal(PlanRequest.DefaultSequenceLength, request.SequenceLength);
        Assert.Null(reason);
        Assert.NotNull(warning);
        Assert.Equal([8192.0], warning.Values);
        Assert.Equal(1, warning.Q("unstated"));
        Assert.Equal(2, warning.Q("runs"));
    }

    [Fact]
    public void Runs_that_state_no_length_keep_the_default_silently()
    {
        var (request, reason, warning) = Planner.SequenceLengthOf(NotGiven, [Run("a", null), Run("b", null)]);
        Assert.Same(NotGiven, request);
        Assert.Null(reason);
        Assert.Null(warning);
    }
}
