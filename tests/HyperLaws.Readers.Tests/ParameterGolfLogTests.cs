using System.Globalization;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// OpenAI Parameter Golf's <c>train.log</c> (modded-nanogpt's lines, stopped at a wallclock cap): real files (TestData/parameter_golf,
/// see its README), each value checked against the file parsed here by splitting its lines, and hand-made variants of the stop line.
/// </summary>
public sealed class ParameterGolfLogTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Real(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "parameter_golf", name);

    /// <summary>Every <c>step:k/S val_loss:X</c> of a file as (k, X).</summary>
    private static List<(int K, double Loss)> ValLines(string path) =>
        [.. File.ReadLines(path)
            .Where(l => l.StartsWith("step:", StringComparison.Ordinal) && l.Contains(" val_loss:", StringComparison.Ordinal))
            .Select(l =>
            {
                string[] parts = l.Split(' ');
                int k = int.Parse(parts[0][5..parts[0].IndexOf('/')], CultureInfo.InvariantCulture);
                return (k, double.Parse(parts[1]["val_loss:".Length..], CultureInfo.InvariantCulture));
            })];

    [Fact]
    public void A_run_stopped_at_its_wallclock_cap_is_as_long_as_it_ran_and_keeps_every_validation_loss()
    {
        string path = Real("naive_baseline.log");
        var run = RunReader.Read(path, new RunReadOptions { Schedule = "wsd(peak=0.04,steps=13780,cooldownSteps=1200)" });
        Assert.Equal(13780, run.Steps);
        Assert.Equal("wallclock_cap at step 13780 of 20000", run.Metadata.Tags["stoppedEarly"]);
        Assert.Equal("20000", run.Metadata.Tags["plannedSteps"]);
        var expected = ValLines(path);
        Assert.Equal(70, expected.Count);
        Assert.Equal((0, 6.9370), expected[0]);
        Assert.Equal((13780, 2.0606), expected[^1]);
        Assert.Equal("6.937", run.Metadata.Tags["initialValLoss"]);
        var val = run.Split(LossSplit.Validation).Select(o => (o.Step, o.Loss)).ToList();
        Assert.Equal(expected.Skip(1).ToList(), val);
        // The warmdown timed by the wallclock: peak until 1200 steps before the stop, 0 at it.
        Assert.Equal(0.04, run.LearningRates[12579], 12);
        Assert.Equal(0.0, run.LearningRates[^1], 12);
    }

    [Fact]
    public void The_settings_lines_give_the_model_size_and_the_batch()
    {
        var run = RunReader.Read(Real("naive_baseline.log"), new RunReadOptions { Schedule = "wsd(peak=0.04,steps=13780,cooldownSteps=1200)" });
        Assert.Equal(17059912.0, run.Metadata.Parameters);
        Assert.Equal(524288.0, run.Metadata.TokensPerStep);
        Assert.Equal(524288.0 * 13780, run.Metadata.TotalTokens);
        Assert.Equal("the log's settings line: train_batch_tokens:524288 (tokens per step across all devices)", run.Metadata.Tags["tokensPerStepSource"]);
        Assert.Equal("0.04", run.Metadata.Tags["loggedMatrixLr"]);
        // model_params followed by more fields on its line.
        var sw = RunReader.Read(Real("sliding_window_eval.log"), new RunReadOptions { Schedule = "wsd(peak=0.04,steps=13450,cooldownSteps=1200)" });
        Assert.Equal(17059912.0, sw.Metadata.Parameters);
        Assert.Equal(13450, sw.Steps);
        Assert.Equal(ValLines(Real("sliding_window_eval.log")).Skip(1).ToList(), sw.Split(LossSplit.Validation).Select(o => (o.Step, o.Loss)).ToList());
    }

    [Fact]
    public void Without_a_schedule_the_hint_ends_the_warmdown_at_the_stop_with_the_logged_peak()
    {
        string path = Real("naive_baseline.log");
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path));
        Assert.Contains("this run stopped early (wallclock_cap at step 13780 of 20000)", e.Message, StringComparison.Ordinal);
        Assert.Contains("--schedule 'wsd(peak=0.04,steps=13780,cooldownSteps=WD)'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_schedule_of_the_planned_length_is_cut_at_the_stop()
    {
        var run = RunReader.Read(Real("naive_baseline.log"), new RunReadOptions { Schedule = "wsd(peak=0.04,steps=20000,cooldownSteps=1200)" });
        Assert.Equal(13780, run.Steps);
        Assert.Equal("20000", run.Metadata.Tags["scheduleSteps"]);
        Assert.All(run.LearningRates, lr => Assert.Equal(0.04, lr, 12)); // that schedule's warmdown starts after the stop
    }

    [Fact]
    public void A_log_cut_before_its_stop_line_under_a_wallclock_cap_says_its_length_is_unknown()
    {
        // The real log up to its last event, without the stop line (line 440) and what follows: the cap (600 s) may have stopped it.
        string[] lines = File.ReadAllLines(Real("naive_baseline.log"));
        Assert.StartsWith("stopping_early: wallclock_cap", lines[439], StringComparison.Ordinal);
        string path = _tmp.File("cut.log", string.Join('\n', lines[..439]) + "\n");
        const string unknown = "the run's length is unknown: the log ends at step 13780 of 20000 without a stop line and its settings set "
            + "max_wallclock_seconds:600, so the run may have stopped at its wallclock cap before step 20000 (read as 20000 steps)";
        var run = RunReader.Read(path, new RunReadOptions { Schedule = "wsd(peak=0.04,steps=20000,cooldownSteps=1200)" });
        Assert.Equal(20000, run.Steps);
        Assert.Equal(unknown, run.Metadata.Tags["lengthUnknown"]);
        Assert.False(run.Metadata.Tags.ContainsKey("stoppedEarly"));
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path));
        Assert.EndsWith($"--out RUN.csv. Beware, {unknown}.", e.Message, StringComparison.Ordinal);
        // The whole log (its stop line read) and a log without a cap (max_wallclock_seconds:0) carry no such tag.
        Assert.False(RunReader.Read(Real("naive_baseline.log"), new RunReadOptions { Schedule = "wsd(peak=0.04,steps=13780,cooldownSteps=1200)" })
            .Metadata.Tags.ContainsKey("lengthUnknown"));
        string uncapped = _tmp.File("uncapped.log", string.Join('\n', lines[..439]).Replace("max_wallclock_seconds:600.000", "max_wallclock_seconds:0.000", StringComparison.Ordinal) + "\n");
        Assert.False(RunReader.Read(uncapped, new RunReadOptions { Schedule = "wsd(peak=0.04,steps=20000,cooldownSteps=1200)" })
            .Metadata.Tags.ContainsKey("lengthUnknown"));
    }

    [Theory]
    [InlineData("stopping_early: wallclock_cap train_time:10ms step:40/200", 3, "the stop line's run length is 200 but 100 at line 1 (logs of two runs in one file?).")]
    [InlineData("stopping_early: wallclock_cap train_time:10ms step:40/100", 3, "the run stops at step 40 here but step 50 is logged.")]
    [InlineData("stopping_early: wallclock_cap train_time:10ms step:150/100", 3, "the run stops at step 150, beyond its 100 steps.")]
    [InlineData("stopping_early: wallclock_cap train_time:10ms step:99999999999/100", 3, "the run stops at step 99999999999, beyond its 100 steps.")]
    [InlineData("stopping_early: wallclock_cap train_time:10ms step:0/100", 3, "a stop at step 0: no update ran.")]
    [InlineData("stopping_early: wallclock_cap train_time:10ms step:60/100\nstopping_early: wallclock_cap train_time:12ms step:70/100", 4,
        "a second stop line (the first at line 3): logs of two runs in one file?")]
    public void A_stop_line_that_contradicts_the_events_is_refused_at_its_line(string stopLine, int line, string message)
    {
        string path = _tmp.File("bad.log", $"step:0/100 val_loss:5.0 val_bpb:3.0 train_time:0ms\nstep:50/100 val_loss:4.0 val_bpb:2.5 train_time:5ms\n{stopLine}\n");
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path, new RunReadOptions { Schedule = "constant(peak=0.01,steps=100)" }));
        Assert.Equal($"{path}:{line}: {message}", e.Message);
    }

    [Fact]
    public void A_stop_line_inside_the_code_dump_is_not_read()
    {
        string path = _tmp.File("code.log",
            "    log0(f\"stopping_early: wallclock_cap step:{step}/{args.iterations}\")\nstopping_early: wallclock_cap step:1/9\nstep:0/100 val_loss:5.0\nstep:100/100 val_loss:4.0\n");
        var run = RunReader.Read(path, new RunReadOptions { Schedule = "constant(peak=0.01,steps=100)" });
        Assert.Equal(100, run.Steps);
        Assert.False(run.Metadata.Tags.ContainsKey("stoppedEarly"));
    }
}
