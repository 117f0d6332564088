using Xunit;

namespace HyperLaws.Readers.Tests.Hostile;

/// <summary>Broken llm.c and speedrun logs: each is one line naming the file, the line and the problem.</summary>
public sealed class TextLogHostileTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Refused(string path, RunReadOptions? options = null)
    {
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path, options));
        Assert.StartsWith(path + ":", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    private static readonly RunReadOptions Constant = new() { Schedule = "constant(peak=0.01,steps=100)" };

    [Theory]
    [InlineData("s:0 trl:11.0 lr:0.1\ns:1 trl:ten lr:0.1\n", "2: trl 'ten' is not a number.")]
    [InlineData("s:0 trl:11.0 lr:0.1\nstep 1 loss 3\n", "2: not an llm.c log record (expected 's:STEP trl:LOSS ...' or 's:STEP tel:LOSS'): 'step 1 loss 3'.")]
    [InlineData("s:0 trl:11.0 lr:0.1\ns:x trl:3 lr:0.1\n", "2: step 'x' is not a number.")]
    [InlineData("s:0 trl:11.0 lr:0.1\ns:-3 trl:3 lr:0.1\n", "2: step -3 is out of range (steps count from 0).")]
    [InlineData("s:0 trl:11.0 lr:0.1\ns:99999999999999 trl:3 lr:0.1\n", "2: step 99999999999999 is absurdly large (limit 1000000000).")]
    [InlineData("s:0 trl:11.0 lr:0.1\ns:1 trl:-3 lr:0.1\n", "2: train loss at step 1 is negative (-3).")]
    [InlineData("s:0 trl:11.0 lr:0.1\ns:1 trl:3 lr:-0.1\n", "2: learning rate is negative (-0.1).")]
    [InlineData("s:0 trl:11.0 lr:0.1\ns:1 norm:3\n", "2: a record with none of trl, tel, eval: 's:1 norm:3'.")]
    [InlineData("s:0 tel:11.0\ns:1 trl:nan lr:0.1\n", "2: train loss at step 1 is NaN before any finite loss (a run cannot start diverged).")]
    [InlineData("s:0 tel:11.0\n", "0: no update is logged (only step 0).")]
    [InlineData("s:0 trl:11.0 lr:0.1\n", "0: the only losses logged are the untrained model's (after 0 updates): no point of the curve.")]
    public void Llmc_log(string text, string problem)
    {
        string path = _tmp.File("main.log", text);
        Assert.Equal($"{path}:{problem}", Refused(path));
    }

    [Theory]
    [InlineData("code\nstep:0/100 val_loss:11.0 train_time:0ms\nstep:1/200 train_loss:10.0 train_time:0ms\n", "3: the run's length is 200 here but 100 at line 2 (logs of two runs in one file?).")]
    [InlineData("code\nstep:0/100 val_loss:11.0 train_time:0ms\nstep:101/100 train_loss:10.0 train_time:0ms\n", "3: step 101 is beyond the run's 100 steps.")]
    [InlineData("code\nstep:0/100 val_loss:11.0 train_time:0ms\nstep:5/100 val_loss:x train_time:0ms\n", "3: val_loss 'x' is not a number.")]
    [InlineData("code\nstep:0/100 val_loss:11.0 train_time:0ms\nstep:5 val_loss:3\n", "3: not a speedrun log line (expected 'step:K/S train_loss:X ...' or 'step:K/S val_loss:X ...'): 'step:5 val_loss:3'.")]
    [InlineData("code\nstep:0/100 train_loss:11.0 train_time:0ms\n", "2: a training loss at step:0 (the script logs it as step:{step+1}, from 1).")]
    [InlineData("code\nstep:0/100 val_loss:11.0 train_time:0ms\nstep:5/0 val_loss:3\n", "3: step 0 is out of range (steps count from 1).")]
    public void Speedrun_log(string text, string problem)
    {
        string path = _tmp.File("run.txt", text);
        Assert.Equal($"{path}:{problem}", Refused(path, Constant));
    }

    /// <summary>
    /// A step in non-ASCII digits, which the readers' \d matches (the hostile-input campaign of helper fuzz): was "step Infinity is
    /// not a whole number" for the Megatron log.
    /// </summary>
    [Fact]
    public void A_step_in_non_ascii_digits_is_named_as_written()
    {
        string path = _tmp.File("megatron.log", " iteration       \u0661\u0660/     100 | learning rate: 1.0E-04 | lm loss: 5.0E+00 |\n iteration       20/     100 | learning rate: 1.0E-04 | lm loss: 4.0E+00 |\n");
        Assert.Equal($"{path}:1: step '\u0661\u0660' is not a number (ASCII digits).", Refused(path));
    }

    [Fact]
    public void A_schedule_shorter_than_the_log()
    {
        string path = _tmp.File("run.txt", "step:0/200 val_loss:11.0\nstep:200/200 val_loss:3.0\n");
        Assert.Equal($"{path}:0: the schedule constant(peak=0.01,steps=100) has 100 steps but the log shows 200.", Refused(path, Constant));
    }

    [Fact]
    public void A_real_megatron_log_cut_mid_line_is_named_at_its_last_line()
    {
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "megatron_log", "gpt3_125m_moe_kernel.head.log"));
        // Cut inside the LR of iteration 500 (2.943E-05): without the '|' check the LR would read as 2.0 and the line pass.
        int cut = text.IndexOf("learning rate: 2.", text.IndexOf(" iteration      500/", StringComparison.Ordinal), StringComparison.Ordinal) + "learning rate: 2.".Length;
        string path = _tmp.File("megatron.log", text[..cut] + "\n");
        int line = text[..cut].Count(c => c == '\n') + 1;
        Assert.StartsWith($"{path}:{line}: the line is cut short", Refused(path));
    }

    [Fact]
    public void A_real_log_cut_mid_line_is_named_at_its_last_line()
    {
        string text = File.ReadAllText(TextLogReaderTests.Real("llmc_gpt2_124m.head.log"));
        int cut = text.IndexOf("s:500 trl:", StringComparison.Ordinal) + "s:500 trl:".Length;
        string path = _tmp.File("main.log", text[..cut] + "\n");
        int line = text[..cut].Count(c => c == '\n') + 1;
        Assert.Equal($"{path}:{line}: trl '' is not a number.", Refused(path));
    }
}
