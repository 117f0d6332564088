using HyperLaws.Optimum;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Tests.Optimum;

public sealed class NearestRunTests
{
    // A hand-built 3 x 2 cell (lr 1e-3, 2e-3, 4e-3; 128 and 512 sequences), the (2e-3, 512) run missing.
    private static SweepCell Cell()
    {
        static SweepPoint P(double lr, double bs, double loss) => new(1e8, 1e10, lr, bs, bs * 2048, 100, loss + 0.01, loss, FormattableString.Invariant($"lr{lr}_bs{bs}"));
        return new SweepCell(1e8, 1e10, [P(1e-3, 128, 2.10), P(2e-3, 128, 2.00), P(4e-3, 128, 2.05), P(1e-3, 512, 2.20), P(4e-3, 512, 2.30)]);
    }

    [Fact]
    public void The_nearest_run_in_log_space_gives_the_gap_to_the_best()
    {
        var cell = Cell();
        // Predict lr 3.5e-3 at 140 sequences: nearest is (4e-3, 128).
        var g = NearestRun.Gap(cell, Math.Log(3.5e-3), Math.Log(140 * 2048.0));
        Assert.Equal("lr0.004_bs128", g.Run.Name);
        Assert.Equal(2.05, g.Loss);
        Assert.Equal(2.00, g.BestLoss);
        Assert.Equal(2.05 / 2.00 - 1, g.Gap, 12);
        double dx = Math.Log(4e-3 / 3.5e-3), dy = Math.Log(128 / 140.0);
        Assert.Equal(Math.Sqrt(dx * dx + dy * dy), g.Distance, 12);
        // The raw loss column gives its own best and gap.
        var raw = NearestRun.Gap(cell, Math.Log(3.5e-3), Math.Log(140 * 2048.0), SweepLoss.Final);
        Assert.Equal(2.06 / 2.01 - 1, raw.Gap, 12);
    }

    [Fact]
    public void A_missing_grid_point_is_never_picked_and_ties_go_to_the_smaller_lr()
    {
        var cell = Cell();
        // Exactly at the missing (2e-3, 512) point: (1e-3, 512) and (4e-3, 512) are equally near (ln 2).
        var g = NearestRun.Gap(cell, Math.Log(2e-3), Math.Log(512 * 2048.0));
        Assert.Equal("lr0.001_bs512", g.Run.Name);
        Assert.Equal(Math.Log(2), g.Distance, 12);
        Assert.Equal(2.20 / 2.00 - 1, g.Gap, 12);
        // The best run scores a zero gap.
        Assert.Equal(0, NearestRun.Gap(cell, Math.Log(2e-3), Math.Log(128 * 2048.0)).Gap);
        // Off the grid: the nearest edge run.
        Assert.Equal("lr0.004_bs128", NearestRun.Gap(cell, Math.Log(1.0), Math.Log(1.0)).Run.Name);
        Assert.Throws<ArgumentException>(() => NearestRun.Gap(cell, double.NaN, 0));
    }
}
