using CsCheck;
using HyperLaws.Divergence;
using HyperLaws.Laws.Joint;
using HyperLaws.Runs;
using HyperLaws.Tests;
using HyperLaws.Validation;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// Protocol 4's fit window (<see cref="StepLawJoint.Window"/>, issue 10, helper gapcell): the training cells' runs fitted are those
/// within the window x the cell's best loss; the protocol's window 2 keeps every run (so the default protocol is unchanged).
/// </summary>
public sealed class StepLawJointWindowTests
{
    private static List<(SweepPoint Point, JointCurve Curve)> Cell(IReadOnlyList<double> losses)
    {
        var assumption = new SweepScheduleAssumption();
        return [.. losses.Select((loss, i) =>
        {
            var p = new SweepPoint(2e8, 4e9, 1e-3 * Math.Pow(2, 0.5 * i), 128, 128 * 2048, 15258, loss + 0.01, loss, $"run{i}");
            return (p, StepLawJoint.Curve(p, assumption, loss));
        })];
    }

    [Fact]
    public void Window_keeps_the_runs_within_it_of_the_best_in_their_order_and_all_at_two()
    {
        Property.ForAll(Gen.Select(Gen.Double[2.0, 3.9].Array[1, 12], Gen.Double[1.0, 2.0]), sample =>
        {
            var (losses, window) = sample;
            var runs = Cell(losses);
            double best = losses.Min();
            var kept = StepLawJoint.Window(runs, window);
            // Exactly the runs with smoothed loss <= window x best, in the input's order; the best always among them.
            Assert.Equal(runs.Where(r => r.Point.SmoothLoss <= window * best).Select(r => r.Point.Name), kept.Select(r => r.Point.Name));
            Assert.Contains(kept, r => r.Point.SmoothLoss == best);
            // The protocol's window keeps every run (the inputs are the cell's runs within 2x already), the same objects.
            Assert.Equal(runs, StepLawJoint.Window(runs, 2));
        });
    }

    [Fact]
    public void Run_refuses_a_window_outside_one_to_two()
    {
        var table = new SweepTable([.. Cell([2.5, 2.6]).Select(r => r.Point)]);
        Assert.Throws<ArgumentOutOfRangeException>(() => StepLawJoint.Run(table, fitWindow: 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => StepLawJoint.Run(table, fitWindow: double.NaN));
    }
}
