namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>Issue 11: a plan made without --runs says that it uses the shipped runs, and where they are.</summary>
public sealed class PlanNoticeTests
{
    [Fact]
    public void A_plan_without_runs_says_it_uses_the_shipped_runs()
    {
        using var tmp = new TempDir(create: false);
        // --no-lr-prior: the notice is written before the runs are read and does not depend on the prior, whose two joint-law fits
        // were a third of this plan's CPU (7.5 s -> 4.8 s for the command alone, `/usr/bin/time`, --no-fit-cache).
        var r = Cli.Run("plan", "--params", "125m", "--tokens", "2.5b", "--laws", "tissue", "--no-lr-prior", "--out", tmp.Path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        string notice = Assert.Single(r.Stderr.Split('\n'), l => l.StartsWith("plan: no --runs given", StringComparison.Ordinal));
        Assert.EndsWith(Path.Combine("data", "MultiPowerLaw", "loss_curve_repo") + ")", notice, StringComparison.Ordinal);
        Assert.True(Path.IsPathRooted(notice[(notice.IndexOf('(', StringComparison.Ordinal) + 1)..^1]));
    }
}
