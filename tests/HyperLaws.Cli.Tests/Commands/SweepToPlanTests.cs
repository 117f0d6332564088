using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// The loop the issue asks for: <c>sweep</c> proposes calibration runs, the user's code logs them in the advertised format,
/// and <c>plan --runs</c> reads them back and calibrates its LR and batch on them instead of falling back on the anchor.
/// </summary>
public sealed class SweepToPlanTests
{
    [Fact]
    public void Plan_reads_the_sweep_results_back_and_calibrates_on_them()
    {
        using var tmp = new TempDir(create: false);
        var sweep = Cli.Run("sweep", "--params", "124M", "--tokens", "2.5B", "--out", tmp.Path, "--json");
        Assert.Equal(0, sweep.ExitCode);
        var runs = sweep.Json()["runs"]!.AsArray();

        // Each run's log, written as RESULTS.md tells: its header lines, then step,loss,lr. The losses come from an
        // annealing-type law whose final loss has a bowl in ln LR with its optimum at 2x each budget's centre LR.
        foreach (var run in runs)
        {
            var schedule = LrSchedule.Parse(run!["schedule"]!.GetValue<string>());
            double centre = run["lr"]!.GetValue<double>() / run["lrFactor"]!.GetValue<double>();
            double bowl = 0.02 * Math.Pow(Math.Log(run["lr"]!.GetValue<double>() / (2 * centre)), 2);
            var lr = schedule.Evaluate();
            var text = new StringBuilder(string.Join('\n', run["logHeader"]!.AsArray().Select(h => h!.GetValue<string>())) + "\n");
            double s1 = 0;
            int every = Math.Max(1, lr.Length / 50);
            for (int t = 1; t <= lr.Length; t++)
            {
                s1 += lr[t - 1] / centre;
                if (t % every == 0 || t == lr.Length)
                {
                    double loss = 2.5 + 1.5 * Math.Pow(1 + s1, -0.4) + 0.05 * lr[t - 1] / centre + bowl * t / lr.Length;
                    text.Append(CultureInfo.InvariantCulture, $"{t},{loss:R},{lr[t - 1]:R}\n");
                }
            }
            string path = Path.Combine(tmp.Path, run["log"]!.GetValue<string>());
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text.ToString());
        }

        var plan = Cli.Run("plan", "--params", "124M", "--tokens", "2.5B", "--runs", Path.Combine(tmp.Path, "runs"), "--laws", "tissue",
            "--no-divergence", "--json", "--out", Path.Combine(tmp.Path, "plan"));
        Assert.Equal(0, plan.ExitCode);
        var hp = plan.Json()["hyperparameters"]!;
        Assert.Equal("calibrated", hp["source"]!.GetValue<string>());
        Assert.Contains($"calibrated on {runs.Count(r => r!["purpose"]!.GetValue<string>() == "lr-batch-grid")} runs at 3 budget(s)", hp["sourceName"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(plan.Json()["warnings"]!.AsArray(), w => w!["kind"]!.GetValue<string>() == "AnchorPrior" || w["text"]!.GetValue<string>().Contains("priors from", StringComparison.Ordinal));
    }
}
