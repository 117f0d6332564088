using HyperLaws.Cli.Output;
using Xunit;

namespace HyperLaws.Cli.Tests.Hostile;

/// <summary>
/// The one folder writer (issue 13, "files"): an interrupted write leaves the target as it was (no new
/// plan.json beside an old report.html, no staging folder); a commit moves everything, the report last;
/// staging folders of dead processes are removed; bad targets are refused before anything is written.
/// </summary>
public sealed class OutputFolderTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string Target => Path.Combine(_tmp.Path, "plan");

    private static string[] Entries(string dir) =>
        [.. Directory.GetFileSystemEntries(dir, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(dir, p)).Order(StringComparer.Ordinal)];

    [Fact]
    public void An_interrupted_write_leaves_the_old_folder_as_it_was()
    {
        Directory.CreateDirectory(Target);
        File.WriteAllText(Path.Combine(Target, "plan.json"), "old plan");
        File.WriteAllText(Path.Combine(Target, "report.html"), "old report");
        using (var folder = OutputFolder.Begin("--out", Target))
        {
            File.WriteAllText(Path.Combine(folder.Staging, "plan.json"), "new plan");
            // Interrupted here: no Commit (an exception, SIGINT or SIGTERM before the moves).
        }
        Assert.Equal(["plan.json", "report.html"], Entries(Target));
        Assert.Equal("old plan", File.ReadAllText(Path.Combine(Target, "plan.json")));
    }

    [Fact]
    public void An_interrupted_write_into_a_new_folder_leaves_nothing()
    {
        using (var folder = OutputFolder.Begin("--out", Target))
            File.WriteAllText(Path.Combine(folder.Staging, "plan.json"), "new plan");
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public void A_commit_moves_every_file_with_the_named_ones_last()
    {
        Directory.CreateDirectory(Target);
        File.WriteAllText(Path.Combine(Target, "report.html"), "old report");
        IReadOnlyList<string> moved;
        using (var folder = OutputFolder.Begin("--out", Target))
        {
            File.WriteAllText(Path.Combine(folder.Staging, "report.html"), "new report");
            File.WriteAllText(Path.Combine(folder.Staging, "plan.json"), "new plan");
            Directory.CreateDirectory(Path.Combine(folder.Staging, "figures"));
            File.WriteAllText(Path.Combine(folder.Staging, "figures", "a.png"), "png");
            moved = folder.Commit("plan.json", "report.html");
        }
        Assert.Equal(Path.Combine(Target, "report.html"), moved[^1]);
        Assert.Equal(Path.Combine(Target, "plan.json"), moved[^2]);
        Assert.Equal(["figures", Path.Combine("figures", "a.png"), "plan.json", "report.html"], Entries(Target));
        Assert.Equal("new report", File.ReadAllText(Path.Combine(Target, "report.html")));
    }

    [Fact]
    public void Staging_left_by_a_dead_process_is_removed_and_a_live_ones_kept()
    {
        Directory.CreateDirectory(Target);
        // PID 2^22 + 1 is above Linux's pid_max ceiling (4194304): no such process can exist.
        string dead = Path.Combine(Target, ".hyperlaws-staging-4194305-0123");
        string live = Path.Combine(Target, $".hyperlaws-staging-{Environment.ProcessId}-4567");
        Directory.CreateDirectory(dead);
        File.WriteAllText(Path.Combine(dead, "plan.json"), "half");
        Directory.CreateDirectory(live);
        using (OutputFolder.Begin("--out", Target))
        {
        }
        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(live));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/dev/null")]
    public void Bad_targets_are_refused(string target)
    {
        var e = Assert.Throws<UserInputException>(() => OutputFolder.Begin("--out", target));
        Assert.StartsWith("--out:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_symbolic_link_target_is_refused()
    {
        Directory.CreateDirectory(Target);
        string link = Path.Combine(_tmp.Path, "link");
        Directory.CreateSymbolicLink(link, Target);
        Assert.Contains("symbolic link", Assert.Throws<UserInputException>(() => OutputFolder.Begin("--out", link)).Message, StringComparison.Ordinal);
    }
}
