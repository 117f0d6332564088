using Xunit;

namespace HyperLaws.Cli.Tests.Hostile;

/// <summary>
/// Each break the file-input fuzz (<see cref="FileInputFuzzTests"/>) and the option probes of the "formats" work found on main
/// @ 554c9db, as it was reproduced: now one line "hyperlaws: error: ..." naming the input, exit code 2, and nothing written
/// or overwritten.
/// </summary>
public sealed class FuzzFoundBreaksTests : HostileTempFolder
{
    /// <summary>Runs hyperlaws; asserts the bad-input contract, that no file appeared or changed in the temp folder. Returns the line.</summary>
    private string Refused(params string[] args)
    {
        var before = Directory.GetFiles(Tmp.Path, "*", SearchOption.AllDirectories).Order().Select(f => (f, File.ReadAllBytes(f))).ToArray();
        string line = Cli.Run(args).AssertUsageError();
        var after = Directory.GetFiles(Tmp.Path, "*", SearchOption.AllDirectories).Order().Select(f => (f, File.ReadAllBytes(f))).ToArray();
        Assert.Equal(before.Select(b => b.f), after.Select(a => a.f));
        for (int i = 0; i < before.Length; i++) Assert.True(before[i].Item2.AsSpan().SequenceEqual(after[i].Item2), $"{before[i].f} changed");
        return line;
    }

    /// <summary>Was: exit 0, the run file replaced by the fitted law's JSON.</summary>
    [Fact]
    public void Fit_out_naming_its_own_run_file_is_refused_and_the_run_kept()
    {
        File.Copy(Mpl("cosine_24000.csv"), P("cosine_24000.csv"));
        string line = Refused("fit", "--law", "tissue", "--runs", P("cosine_24000.csv"), "--out", P("cosine_24000.csv"));
        Assert.Contains("--out", line, StringComparison.Ordinal);
        Assert.Contains("is also an input (--runs)", line, StringComparison.Ordinal);
    }

    /// <summary>Was: the log replaced by its import (the same path written through another spelling of it).</summary>
    [Fact]
    public void Import_out_naming_its_input_is_refused_whatever_the_spelling()
    {
        File.WriteAllText(P("run.csv"), "step,loss,lr\n1,5,1e-3\n2,4,1e-3\n");
        string line = Refused("import", P("run.csv"), "--out", Path.Combine(Tmp.Path, ".", "run.csv"));
        Assert.Contains("is also an input", line, StringComparison.Ordinal);
    }

    /// <summary>Was: a fit, then "Only 1 of 1 bootstrap replicates of tissue could be fitted" (naming neither option nor input).</summary>
    [Fact]
    public void Bootstrap_of_one_replicate_is_refused_before_fitting() =>
        Assert.Contains("--bootstrap: '1'", Refused("fit", "--law", "tissue", "--runs", Mpl("cosine_24000.csv"), "--out", P("out.json"), "--bootstrap", "1"), StringComparison.Ordinal);

    /// <summary>Was: "fitting tissue ..." progress, then "zero-loss: loss at step 1 is 0." without the file's line.</summary>
    [Fact]
    public void A_zero_loss_is_refused_while_reading_with_file_and_line()
    {
        File.WriteAllText(P("zero.csv"), "step,loss,lr\n1,0,1e-3\n2,0,1e-3\n");
        string line = Refused("fit", "--law", "tissue", "--runs", P("zero.csv"), "--out", P("out.json"));
        Assert.Contains("zero.csv:2: train loss at step 1 is 0", line, StringComparison.Ordinal);
    }

    /// <summary>Was: "peaks: NaN is not a positive learning rate." (the default peak grid built from an LR of 1e308).</summary>
    [Fact]
    public void A_logged_learning_rate_of_1e308_is_refused_while_reading()
    {
        File.WriteAllText(P("huge-lr.csv"), "step,loss,lr\n1,5,1e308\n2,4,1e308\n3,3.9,1e308\n");
        string line = Refused("rank", "--law", P("law.json"), "--steps", "1000", "--runs", P("huge-lr.csv"));
        Assert.Contains("huge-lr.csv:2: learning rate 1E+308 is absurdly large", line, StringComparison.Ordinal);
    }

    /// <summary>Was: a 621-character line echoing 3,000 bytes of binary garbage as the "header".</summary>
    [Fact]
    public void A_binary_files_header_is_echoed_short()
    {
        var bytes = new byte[3000];
        new Random(7).NextBytes(bytes);
        for (int i = 0; i < bytes.Length; i++) if (bytes[i] is (byte)'\n' or (byte)'\r') bytes[i] = (byte)'x'; // one 3,000-byte "line"
        File.WriteAllBytes(P("garbage.csv"), bytes);
        string line = Refused("size-law", "--table", P("garbage.csv"));
        Assert.Contains("garbage.csv:1:", line, StringComparison.Ordinal);
        Assert.True(line.Length < 450, $"{line.Length} characters");
        Assert.Contains("more characters)", line, StringComparison.Ordinal);
    }

    /// <summary>
    /// Was: a 100 MB file of one line read whole by every recogniser and the CSV reader (30 s and 1.5 GB before the error; past
    /// 1 GB an out-of-memory error, exit 70). Now refused at the first line past 1 Mi characters.
    /// </summary>
    [Fact]
    public void A_file_without_line_breaks_is_refused_at_its_first_overlong_line()
    {
        File.WriteAllText(P("one-line.csv"), new string('a', 3 << 20));
        string line = Refused("fit", "--law", "tissue", "--runs", P("one-line.csv"), "--out", P("out.json"));
        Assert.Contains("one-line.csv:1: line longer than 1,048,576 characters", line, StringComparison.Ordinal);
    }

    /// <summary>
    /// Was: a LAW.json (or DIV.json, RULE.json) read whole whatever its size: past 1 GB an out-of-memory error, exit 70. Now a
    /// document over 64 MiB is refused before reading (the file here is sparse: nothing is written to disk).
    /// </summary>
    [Fact]
    public void A_law_file_of_65_MiB_is_refused_before_reading()
    {
        using (var fs = File.Create(P("huge-law.json"))) fs.SetLength((64L << 20) + 1);
        string line = Refused("predict", "--law", P("huge-law.json"), "--schedule", "cosine(peak=3e-4,steps=1000)");
        Assert.Contains("huge-law.json: the file is 67,108,865 bytes, over the 64 MiB", line, StringComparison.Ordinal);
    }
    /// <summary>An AlgoPerf eval_measurements.csv header (15 columns) whose 15th name repeats the 13th, as a fuzz mutation made it.</summary>
    private const string RepeatedColumnHeader =
        "accumulated_eval_time,accumulated_logging_time,accumulated_submission_time,global_step,preemption_count,score,test/ctc_loss,"
        + "test/num_examples,test/wer,total_duration,train/ctc_loss,train/wer,validation/ctc_loss,validation/num_examples,validation/ctc_loss\n"
        + "159.0,0.0,15.4,1,0,15.4,28.2,2472,2.3,174.4,29.5,2.2,28.1,5348,2.1\n";

    /// <summary>
    /// Was (the fuzz with AlgoPerf's format, this stop): a run option given an AlgoPerf log with a repeated column name refused in one
    /// line of 621 characters (the CSV library's message quoting the whole header). Now the header is left out of it.
    /// </summary>
    [Fact]
    public void A_repeated_column_name_is_refused_in_a_short_line()
    {
        File.WriteAllText(P("eval_measurements.csv"), RepeatedColumnHeader);
        string line = Refused("fit", "--law", "tissue", "--runs", P("eval_measurements.csv"), "--out", P("out.json"));
        Assert.Contains("eval_measurements.csv:1: not a CSV table: Col name 'validation/ctc_loss' found 2 times", line, StringComparison.Ordinal);
        Assert.True(line.Length < 300, $"{line.Length} characters");
    }

    /// <summary>Was: <c>size-law --table</c> on the same file ended in "hyperlaws: internal error (ArgumentException)", exit 70.</summary>
    [Fact]
    public void Size_law_refuses_a_repeated_column_name_as_bad_input()
    {
        File.WriteAllText(P("table.csv"), RepeatedColumnHeader);
        string line = Refused("size-law", "--table", P("table.csv"));
        Assert.Contains("table.csv:1: not a CSV table: Col name 'validation/ctc_loss' found 2 times", line, StringComparison.Ordinal);
        Assert.True(line.Length < 300, $"{line.Length} characters");
    }
    /// <summary>
    /// Was (the same fuzz): a row with more fields than the header refused as "eval_measurements.csv:?: malformed CSV: Found 18
    /// column(s) on row 2/lines [3..4]:'...'", the row and the header quoted whole (621 characters) and no line number.
    /// </summary>
    [Fact]
    public void A_row_with_extra_fields_is_refused_at_its_line_in_a_short_message()
    {
        File.WriteAllText(P("eval_measurements.csv"), RepeatedColumnHeader.Replace("validation/ctc_loss\n", "validation/wer\n", StringComparison.Ordinal)
            + "273.5,0.02,1456.4,1699,0,1456.4,6.3,2472,0.89,1730.0,6.5,0.93,6.36,5348,0.89,1,2,3\n");
        string line = Refused("fit", "--law", "tissue", "--runs", P("eval_measurements.csv"), "--out", P("out.json"));
        Assert.Contains("eval_measurements.csv:3: malformed CSV: 18 fields where the header has 15.", line, StringComparison.Ordinal);
    }
}
