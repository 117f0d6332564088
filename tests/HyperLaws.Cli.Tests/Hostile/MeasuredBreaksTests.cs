using System.Diagnostics;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Cli.Tests.Hostile;

/// <summary>
/// Every break measured by issue 13's hostile test of the CLI, each as it was reproduced on main: now one
/// line "hyperlaws: error: ..." naming the input, exit code 2, nothing on stdout, no .NET type name, the
/// input echoed at most ~100 characters, and nothing written.
/// </summary>
public sealed class MeasuredBreaksTests : HostileTempFolder
{
    /// <summary>Runs hyperlaws; asserts the bad-input contract and that no file appeared in the temp folder. Returns the line.</summary>
    private string Refused(params string[] args)
    {
        var before = Directory.GetFileSystemEntries(Tmp.Path, "*", SearchOption.AllDirectories).Order().ToArray();
        var r = Cli.Run(args);
        string line = r.AssertUsageError();
        Assert.DoesNotContain("System.", line, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", line, StringComparison.Ordinal);
        Assert.True(line.Length <= 400, line.Length <= 400 ? "" : $"message of {line.Length} characters: {line[..200]}...");
        Assert.DoesNotContain(line, c => char.IsControl(c));
        var after = Directory.GetFileSystemEntries(Tmp.Path, "*", SearchOption.AllDirectories).Order().ToArray();
        Assert.Equal(before, after);
        return line;
    }

    private const string Spec = "cosine(peak=3e-4,warmup=10,steps=1000)";

    [Fact]
    public void Mpl_file_name_with_a_step_count_past_int32_is_refused_not_overflowed()
    {
        string big = P("cosine_99999999999.csv");
        File.Copy(Mpl("cosine_24000.csv"), big);
        string line = Refused("fit", "--law", "mpl", "--runs", big, "--out", P("out.json"));
        Assert.Contains("99999999999", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--out")]
    [InlineData("--law")]
    [InlineData("--plot")]
    public void Empty_paths_are_refused_naming_the_option(string option)
    {
        var args = new List<string> { "predict", "--law", P("law.json"), "--schedule", Spec };
        if (option == "--law") args[2] = "";
        else if (option == "--plot") args.AddRange(["--plot", ""]);
        else args = ["fit", "--law", "tissue", "--runs", Mpl("cosine_24000.csv"), "--out", ""];
        string line = Refused([.. args]);
        Assert.Contains(option + ": empty value", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_data_missing_is_refused() =>
        Assert.Contains("--data", Refused("demo", "--data", P("nowhere"), "--out", P("demo")), StringComparison.Ordinal);

    [Fact]
    public void Demo_data_that_is_a_file_is_refused() =>
        Assert.Contains("is a file", Refused("demo", "--data", P("law.json"), "--out", P("demo")), StringComparison.Ordinal);

    [Fact]
    public void Demo_laws_empty_is_refused() =>
        Assert.Contains("--laws", Refused("demo", "--laws", "", "--out", P("demo")), StringComparison.Ordinal);

    [Theory]
    [InlineData("--min-tokens", "0.5")]
    [InlineData("--max-tokens", "1e308")]
    [InlineData("--C1", "1e308")]
    public void Verify_numbers_out_of_range_are_refused_before_solving(string option, string value) =>
        Assert.Contains(option, Refused("verify", option, value, "--no-figures", "--out", P("verify")), StringComparison.Ordinal);

    [Fact]
    public void Peak_1e308_is_refused_by_the_spec() =>
        Assert.Contains("peak", Refused("predict", "--law", P("law.json"), "--schedule", "cosine(peak=1e308,steps=100)"), StringComparison.Ordinal);

    [Fact]
    public void A_billion_steps_is_estimated_and_refused_before_allocating()
    {
        var before = GC.GetTotalAllocatedBytes();
        string line = Refused("predict", "--law", P("law.json"), "--schedule", "cosine(peak=3e-4,steps=999999999)");
        Assert.Contains("memory", line, StringComparison.Ordinal);
        Assert.True(GC.GetTotalAllocatedBytes() - before < 500_000_000, "the schedule was allocated before being refused");
    }

    [Fact]
    public void Table_of_dev_zero_is_refused_without_reading() =>
        Assert.Contains("not a regular file", Refused("predict", "--law", P("law.json"), "--schedule", "table(file=/dev/zero)"), StringComparison.Ordinal);

    [Fact]
    public void Fifo_inputs_are_refused_instead_of_blocking()
    {
        string fifo = P("fifo");
        using (var p = Process.Start(new ProcessStartInfo("mkfifo", fifo) { UseShellExecute = false })!) p.WaitForExit();
        Assert.True(File.Exists(fifo), "mkfifo failed");
        Assert.Contains("not a regular file", Refused("predict", "--law", fifo, "--schedule", Spec), StringComparison.Ordinal);
        Assert.Contains("not a regular file", Refused("predict", "--law", P("law.json"), "--schedule", $"table(file={fifo})"), StringComparison.Ordinal);
        Assert.Contains("not a regular file", Refused("predict", "@" + fifo), StringComparison.Ordinal);
    }

    [Fact]
    public void Device_as_output_is_refused() =>
        Assert.Contains("/dev/null", Refused("fit", "--law", "tissue", "--runs", Mpl("cosine_24000.csv"), "--out", "/dev/null"), StringComparison.Ordinal);

    [Fact]
    public void Steps_list_with_an_empty_item_is_refused() =>
        Assert.Contains("--steps", Refused("predict", "--law", P("law.json"), "--schedule", Spec, "--steps", "1,,2"), StringComparison.Ordinal);

    [Fact]
    public void Tokens_per_step_nan_is_refused() =>
        Assert.Contains("--tokens-per-step", Refused("contour", "--law", P("law.json"), "--tokens", "2B", "--tokens-per-step", "NaN", "--out", P("contour")), StringComparison.Ordinal);

    [Theory]
    [InlineData("NaN")]
    [InlineData("-1")]
    [InlineData("abc")]
    public void Validate_train_fraction_garbage_is_refused_whatever_the_protocol(string value) =>
        Assert.Contains("--train-fraction", Refused("validate", "--protocol", "1", "--train-fraction", value, "--data", P("nodata")), StringComparison.Ordinal);

    [Fact]
    public void Compare_laws_empty_is_refused() =>
        Assert.Contains("--laws", Refused("compare", "--train", Mpl("cosine_24000.csv"), "--test", Mpl("constant_24000.csv"), "--laws", ""), StringComparison.Ordinal);

    [Fact]
    public void Transfer_batch_1e308_is_refused_not_infinite() =>
        Assert.Contains("--batch", Refused("transfer", "--regime", "joint", "--from-tokens", "1e9", "--lr", "3e-3", "--momentum", "0.9", "--batch", "1e308", "--to-tokens", "1e11"), StringComparison.Ordinal);

    [Fact]
    public void Missing_response_file_is_reported_as_such() =>
        Assert.Contains("response file", Refused("@" + P("missing.rsp")), StringComparison.Ordinal);

    [Fact]
    public void Parse_errors_carry_no_dotnet_type_name() =>
        Assert.Contains("whole number", Refused("rank", "--law", P("law.json"), "--steps", "24000", "--top", "abc"), StringComparison.Ordinal);

    [Fact]
    public void Schedule_nested_600_deep_on_the_command_line_is_refused_not_a_stack_overflow()
    {
        string deep = string.Concat(Enumerable.Repeat("continued(previous=", 600)) + "cosine(peak=1e-3,steps=2)"
            + string.Concat(Enumerable.Repeat(",next=cosine(peak=1e-3,steps=2))", 600));
        Assert.Contains("nested", Refused("predict", "--law", P("law.json"), "--schedule", deep), StringComparison.Ordinal);
    }

    [Fact]
    public void Schedule_nested_20000_deep_in_a_response_file_is_refused()
    {
        string deep = string.Concat(Enumerable.Repeat("continued(previous=", 20_000)) + "cosine(peak=1e-3,steps=2)"
            + string.Concat(Enumerable.Repeat(",next=cosine(peak=1e-3,steps=2))", 20_000));
        string rsp = Tmp.File("deep.rsp", $"--law {P("law.json")}\n--schedule {deep}\n");
        Assert.Contains("nested", Refused("predict", "@" + rsp), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"version\":2,", "version 2")]
    [InlineData("\"version\":999,", "version 999")]
    [InlineData("\"version\":\"abc\",", "\"version\"")]
    [InlineData("", "missing \"version\"")]
    public void Law_json_version_is_checked(string version, string fragment)
    {
        File.WriteAllText(P("v.json"), "{\"format\":\"hyperlaws-law\"," + version + "\"law\":\"tissue\",\"parameters\":{\"L0\":3.15,\"A\":0.51,\"alpha\":0.51,\"C\":0.40}}");
        Assert.Contains(fragment, Refused("predict", "--law", P("v.json"), "--schedule", Spec), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"L0\":-1e308,\"A\":0.51", "'L0'")]
    [InlineData("\"L0\":3.15,\"A\":1e308", "'A'")]
    [InlineData("\"L0\":3.15,\"A\":-0.5", "'A'")]
    public void Law_json_parameters_are_range_checked(string parameters, string fragment)
    {
        File.WriteAllText(P("r.json"), "{\"format\":\"hyperlaws-law\",\"version\":1,\"law\":\"tissue\",\"parameters\":{" + parameters + ",\"alpha\":0.51,\"C\":0.40}}");
        Assert.Contains(fragment, Refused("predict", "--law", P("r.json"), "--schedule", Spec), StringComparison.Ordinal);
    }

    [Fact]
    public void Bare_nan_in_law_json_gives_one_short_line()
    {
        File.WriteAllText(P("nan.json"), "{\"format\":\"hyperlaws-law\",\"version\":1,\"law\":\"tissue\",\"parameters\":{\"L0\":nan,\"A\":0.5}}\n" + new string('x', 20_000));
        Refused("predict", "--law", P("nan.json"), "--schedule", Spec);
    }

    [Fact]
    public void A_100000_digit_number_is_echoed_truncated() =>
        Assert.Contains("more characters", Refused("predict", "--law", P("law.json"), "--schedule", Spec, "--steps", new string('7', 100_000)), StringComparison.Ordinal);

    [Fact]
    public void Control_characters_are_escaped_in_the_echo() =>
        Assert.Contains("\\x1b", Refused("compare", "--train", Mpl("cosine_24000.csv"), "--test", Mpl("constant_24000.csv"), "--laws", "mpl\u001b[31m"), StringComparison.Ordinal);

    [Fact]
    public void Out_on_a_symbolic_link_is_refused_and_the_target_untouched()
    {
        File.WriteAllText(P("target.json"), "keep");
        File.CreateSymbolicLink(P("link.json"), P("target.json"));
        Assert.Contains("symbolic link", Refused("fit", "--law", "tissue", "--runs", Mpl("cosine_24000.csv"), "--out", P("link.json")), StringComparison.Ordinal);
        Assert.Equal("keep", File.ReadAllText(P("target.json")));
    }

    [Fact]
    public void Out_on_the_root_folder_is_refused() =>
        Refused("plan", "--runs", Mpl("cosine_24000.csv"), "--tokens", "1e10", "--out", "/");
}
