using HyperLaws.Readers;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Cli.Tests.Hostile;

/// <summary>
/// The breaks a read-only audit of the CLI (built at e5e112e) found in option handling: options a mode or protocol does not read,
/// taken silently (exit 0); values accepted that the tool cannot know; error texts naming the wrong input. Each is now one line
/// "hyperlaws: error: ..." naming the input, exit code 2, nothing on stdout and nothing written in the test's folder.
/// </summary>
public sealed class OptionAuditTests : HostileTempFolder
{
    private const string Spec = "cosine(peak=3e-4,warmup=10,steps=1000)";

    private string[] Listing() => [.. Directory.GetFileSystemEntries(Tmp.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>Runs hyperlaws on a template ({law}: law.json, {tmp}: the temp folder); asserts the bad-input contract and that nothing was written. Returns the line.</summary>
    private string Refused(string template)
    {
        var before = Listing();
        string line = Cli.Run([.. Cli.Split(template).Select(a => a.Replace("{law}", P("law.json"), StringComparison.Ordinal).Replace("{tmp}", Tmp.Path, StringComparison.Ordinal))]).AssertUsageError();
        Assert.Equal(before, Listing());
        return line;
    }

    /// <summary>Was: exit 0, the option ignored (validate reads --laws, --sizes, --pooled, ... only in some protocols).</summary>
    [Theory]
    [InlineData("--protocol 5 --lr-data-scale", "--lr-data-scale applies to protocol 4 with --laws joint only (got --protocol 5).")]
    [InlineData("--protocol 5 --joint-lag-prior-curves-only", "--joint-lag-prior-curves-only applies to protocol 4 with --laws joint and protocol 20 only (got --protocol 5).")]
    [InlineData("--protocol 4 --joint-lag-prior-curves-only", "--joint-lag-prior-curves-only applies to protocol 4 with --laws joint only (got --protocol 4 without --laws joint).")]
    [InlineData("--protocol 4 --laws optlaw --no-lr-size-scale", "--laws applies to protocols 1, 2, 3, 6, 7, 8 and 14-17 (4 only as --laws joint) only (got --protocol 4).")]
    [InlineData("--protocol 4 --laws joint,mpl", "--laws: protocol 4 reads joint alone (the joint law's report; no other law has a protocol 4 score), got joint,mpl.")]
    [InlineData("--protocol 4 --laws OptLaw,joint --lr-data-scale", "--laws: protocol 4 reads joint alone (the joint law's report; no other law has a protocol 4 score), got optlaw,joint.")]
    [InlineData("--protocol 5 --pooled", "--pooled applies to protocol 3 (without --intervals) only (got --protocol 5).")]
    [InlineData("--protocol 5 --fit-on train", "--fit-on applies to protocols 3, 6, 7, 8 and 10 (without --intervals) only (got --protocol 5).")]
    [InlineData("--protocol 5 --sizes 25", "--sizes applies to protocol 1 only (got --protocol 5).")]
    [InlineData("--protocol 5 --laws optlaw", "--laws applies to protocols 1, 2, 3, 6, 7, 8 and 14-17 (4 only as --laws joint) only (got --protocol 5).")]
    [InlineData("--protocol 1 --train-fraction 0.3", "--train-fraction applies to protocol 3 (without --intervals) only (got --protocol 1).")]
    public void Validate_refuses_an_option_its_protocol_does_not_read(string options, string error) =>
        Assert.Equal($"hyperlaws: error: {error}", Refused($"validate --data {{tmp}}/nodata {options}"));

    /// <summary>Was: exit 0, the comparison run and the single-law options ignored.</summary>
    [Theory]
    [InlineData("--steps 1000", "--steps")]
    [InlineData("--law {law}", "--law")]
    [InlineData("--plot {tmp}/s.png", "--plot")]
    public void Optimize_schedule_compare_mpl_refuses_the_single_law_options(string options, string option) =>
        Assert.Equal($"hyperlaws: error: {option} does not apply with --compare-mpl (it fits and optimises its own schedules per size on --data).",
            Refused($"optimize-schedule --compare-mpl --data {{tmp}} {options}"));

    /// <summary>Was: exit 0, --tokens-per-step and --cooldown ignored, a repeated budget dropped.</summary>
    [Theory]
    [InlineData("--steps 1000 --tokens-per-step 1000", "--tokens-per-step applies to --tokens only (the --steps budgets are steps already).")]
    [InlineData("--steps 1000 --family cosine --cooldown 0.3", "--cooldown applies to --family wsd only (got --family cosine).")]
    [InlineData("--steps 1000 --family constant --floor 0.2", "--floor applies to a decaying family (cosine, linear or wsd), not to --family constant.")]
    [InlineData("--steps 1000,1000", "--steps: the budget 1000 is given twice.")]
    [InlineData("--tokens 1B,1e9 --tokens-per-step 1M", "--tokens: 1e9 tokens is 1000 steps, the same budget as 1B tokens.")]
    public void Contour_refuses_options_its_budgets_or_family_do_not_read(string options, string error) =>
        Assert.Equal($"hyperlaws: error: {error}", Refused($"contour --law {{law}} --out {{tmp}}/c {options}"));

    /// <summary>Was: exit 0, --factor (a sweep's labelling rule) ignored when checking one schedule.</summary>
    [Theory]
    [InlineData("--model {tmp}/div.json --schedule " + Spec + " --params 1e8 --batch 1e6 --factor 3", "--factor does not apply with diverge --model (not read there).")]
    [InlineData("--fit --runs {tmp}/x.csv --out {tmp}/d.json --params 1e8", "--params does not apply with diverge --fit (not read there).")]
    [InlineData("--validate --data {tmp} --out {tmp}/d.json", "--out does not apply with diverge --validate (not read there).")]
    [InlineData("--model {tmp}/div.json --schedule " + Spec + " --params 1e8 --batch 1e6 --batch-curvature", "--batch-curvature does not apply with diverge --model (not read there).")]
    public void Diverge_refuses_an_option_its_mode_does_not_read(string options, string error) =>
        Assert.Equal($"hyperlaws: error: {error}", Refused($"diverge {options}"));

    /// <summary>Was: exit 0, the first 'loss' column imported and the other dropped.</summary>
    [Fact]
    public void Import_refuses_a_header_with_two_loss_columns()
    {
        string csv = Tmp.File("two.csv", "step,loss,lr,loss\n1,3.0,1e-3,9\n2,2.9,1e-3,9\n3,2.8,1e-3,9\n");
        Assert.Equal($"hyperlaws: error: {csv}:1: the header has two 'loss' columns (2 and 4): which one is meant is unclear (header: step,loss,lr,loss).",
            Refused($"import {csv} --out {{tmp}}/run.csv"));
    }

    /// <summary>Was: exit 0 and "# optimizer: bogus" in the run file.</summary>
    [Fact]
    public void Import_refuses_an_optimizer_the_tool_does_not_know()
    {
        string csv = Tmp.File("one.csv", "step,loss,lr\n1,3.0,1e-3\n2,2.9,1e-3\n");
        Assert.StartsWith("hyperlaws: error: --optimizer: 'bogus' is not an optimizer this tool knows (adamw, muon,",
            Refused($"import {csv} --optimizer bogus --out {{tmp}}/run.csv"), StringComparison.Ordinal);
    }

    /// <summary>
    /// Was: "# schedule: table(file=\"/abs/run.lr.csv\", ...)", so the run file broke once its folder moved. Now the LR file is
    /// named relative to the run file, and the reader finds it beside the run file wherever the command runs from.
    /// </summary>
    [Fact]
    public void Import_names_the_lr_file_beside_the_run_file_and_the_pair_can_move()
    {
        string csv = Tmp.File("log.csv", "step,loss,lr\n1,3.0,1e-3\n2,2.9,2e-3\n3,2.8,3e-3\n");
        Directory.CreateDirectory(P("a"));
        var r = Cli.Run("import", csv, "--optimizer", "AdamW", "--out", P(Path.Combine("a", "run.csv")));
        Assert.True(r.ExitCode == 0, r.Stderr);
        string text = File.ReadAllText(P(Path.Combine("a", "run.csv")));
        Assert.Contains("# schedule: table(file=\"run.lr.csv\", column=lr)\n", text, StringComparison.Ordinal);
        Assert.Contains("# optimizer: adamw\n", text, StringComparison.Ordinal);
        Directory.Move(P("a"), P("moved"));
        Assert.NotEqual(Tmp.Path, Directory.GetCurrentDirectory());
        var run = RunReader.Read(P(Path.Combine("moved", "run.csv")));
        Assert.Equal(new[] { 1e-3, 2e-3, 3e-3 }, run.LearningRates.ToArray());
    }

    /// <summary>Was: "--data: ..." for a folder given to --size-exponent pooled=DIR.</summary>
    [Fact]
    public void Validate_names_size_exponent_for_its_pooled_folder() =>
        Assert.StartsWith($"hyperlaws: error: --size-exponent pooled={P("nowhere")}: ",
            Refused($"validate --protocol 2 --data {DataFolders.Repo} --laws tissue --size-exponent pooled={{tmp}}/nowhere"), StringComparison.Ordinal);

    /// <summary>Was: "Could not find file" for a law path that is a folder.</summary>
    [Fact]
    public void A_law_path_that_is_a_folder_is_named_a_folder()
    {
        Directory.CreateDirectory(P("lawdir"));
        Assert.Equal($"hyperlaws: error: {P("lawdir")}: is a folder, not a file.", Refused("rank --law {tmp}/lawdir --steps 1000"));
    }

    /// <summary>Was: "Access to the path ... is denied" for a table file that is a folder.</summary>
    [Fact]
    public void A_table_file_that_is_a_folder_is_named_a_folder()
    {
        Directory.CreateDirectory(P("lrdir"));
        Assert.Contains($"{P("lrdir")} is a folder, not a file.", Refused("predict --law {law} --schedule table(file={tmp}/lrdir,column=lr)"), StringComparison.Ordinal);
    }

    /// <summary>Was: exit 0 and h/y.png, .svg, .csv written for --plot h/y.txt, with no line saying so.</summary>
    [Fact]
    public void Predict_plot_must_be_a_png() =>
        Assert.Equal($"hyperlaws: error: --plot: '{P("y.txt")}' must end in .png (the SVG and CSV are written beside it).",
            Refused("predict --law {law} --schedule " + Spec + " --plot {tmp}/y.txt"));
}
