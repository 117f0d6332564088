using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Cli.Tests.Hostile;

/// <summary>
/// Each break the command-by-command hostile audit (helper "hostile", main @ 43b788b) found, as it was reproduced: now one
/// line "hyperlaws: error: ..." naming the input, exit code 2, nothing on stdout, and nothing written, created or changed
/// in the test's folder. Most were outputs that could not be written, found only after the work (a fit, a plan, the demo's
/// first part) with its progress lines and, for some, files already written.
/// </summary>
public sealed class AuditFoundBreaksTests : HostileTempFolder
{
    private const string Spec = "cosine(peak=3e-4,warmup=10,steps=1000)";

    private static string Sweep => Path.Combine(DataFolders.Shared, "steplaw", "data", "dense_lr_bs_loss.csv");

    /// <summary>Every entry (files and folders) under the temp folder with its content (null for a folder).</summary>
    private (string Path, byte[]? Content)[] Listing() =>
        [.. Directory.GetFileSystemEntries(Tmp.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => (p, File.Exists(p) ? File.ReadAllBytes(p) : null))];

    /// <summary>Runs hyperlaws; asserts the bad-input contract and that nothing under the temp folder appeared or changed. Returns the line.</summary>
    private string Refused(params string[] args)
    {
        var before = Listing();
        string line = Cli.Run(args).AssertUsageError();
        var after = Listing();
        Assert.Equal(before.Select(b => b.Path), after.Select(a => a.Path));
        for (int i = 0; i < before.Length; i++)
            Assert.True(before[i].Content is null ? after[i].Content is null : after[i].Content is { } c && c.AsSpan().SequenceEqual(before[i].Content), $"{before[i].Path} changed");
        Assert.DoesNotContain("System.", line, StringComparison.Ordinal);
        return line;
    }

    /// <summary>Commands with an output file (not a folder): the option and the command line with <c>{0}</c> for its value.</summary>
    public static TheoryData<string, string> FileOutputs() => new()
    {
        // Was: the fit, its progress lines, then "cannot write ...: ... is a folder" (5 lines); with "dir/": the folder created and left.
        { "--out", "fit --law tissue --runs {mpl} --out {0}" },
        // Was: the LR sidecar (existingdir.lr.csv, newdir/.lr.csv) written, then the run file refused.
        { "--out", "import {mpl} --out {0}" },
        // Was: with "dir/", exit 70 (ArgumentException: an empty file name); with a folder, exit 0 and files written beside it.
        { "--plot", "predict --law {law} --schedule " + Spec + " --plot {0}" },
        { "--out", "optimize-schedule --law {law} --steps 1000 --peak 1e-3 --knots 4 --evaluations 50 --out {0}" },
        { "--plot", "optimize-schedule --law {law} --steps 1000 --peak 1e-3 --knots 4 --evaluations 50 --plot {0}" },
        // Was: the divergence fit (20 lines of progress), then the refusal; with "dir/": the folder left.
        { "--out", "diverge --fit --runs {sweep} --out {0}" },
        // Was: 17 cells fitted (19 lines), then the refusal; with "dir/": the folder left.
        { "--save-rule", "optimum --sweep {sweep} --save-rule {0}" },
        // Was: with "dir/", the folder left.
        { "--out", "lr-prior --out {0}" },
        { "--out", "size-law --table {mpl} --out {0}" },
    };

    private string[] Args(string template, string value) =>
        [.. Cli.Split(template).Select(a => a switch
        {
            "{0}" => value,
            "{mpl}" => Mpl("cosine_24000.csv"),
            "{law}" => P("law.json"),
            "{sweep}" => Sweep,
            _ => a,
        })];

    [Theory]
    [MemberData(nameof(FileOutputs))]
    public void A_file_output_naming_an_existing_folder_is_refused_before_any_work(string option, string template)
    {
        Directory.CreateDirectory(P("existing"));
        string line = Refused(Args(template, P("existing")));
        Assert.Contains($"{option}: '{P("existing")}' is a folder; give a file name", line, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FileOutputs))]
    public void A_file_output_ending_with_a_slash_is_refused_and_no_folder_is_made(string option, string template)
    {
        string line = Refused(Args(template, P("newdir") + "/"));
        Assert.Contains($"{option}: '{P("newdir")}/' is a folder", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(P("newdir")));
    }

    [Theory]
    [MemberData(nameof(FileOutputs))]
    public void A_file_output_under_a_file_is_refused_before_any_work(string option, string template)
    {
        File.WriteAllText(P("a-file"), "keep");
        string line = Refused(Args(template, Path.Combine(P("a-file"), "sub", "out.json")));
        Assert.Contains($"{option}: ", line, StringComparison.Ordinal);
        Assert.Contains($"'{P("a-file")}' is a file, not a folder", line, StringComparison.Ordinal);
    }

    /// <summary>
    /// Was (as root, who passes access(2) there): the work, its progress lines, then "cannot write /proc/x/...: Could not find file"
    /// (plan: the plan made first; import: the LR sidecar tried first). /proc takes no new file from anyone.
    /// </summary>
    [Theory]
    [MemberData(nameof(FileOutputs))]
    public void A_file_output_in_proc_is_refused_before_any_work(string option, string template)
    {
        Assert.SkipWhen(Environment.UserName != "root", "only root passes access(2) on /proc, so only root reaches the probe this tests (others are refused by the permission check)");
        string line = Refused(Args(template, "/proc/hyperlaws-out.json"));
        Assert.Contains($"{option}: cannot write '/proc/hyperlaws-out.json': no file can be created in '/proc'", line, StringComparison.Ordinal);
    }

    /// <summary>Commands with an output folder: the option and the command line with <c>{0}</c> for its value.</summary>
    public static TheoryData<string, string> FolderOutputs() => new()
    {
        // Was: the plan made (20-60 s), then the refusal.
        { "--out", "plan --params 10M --tokens 200M --no-divergence --no-lr-prior --out {0}" },
        // Was: plan --out's folder written in full, then --export refused: a half-written result left behind.
        { "--export", "plan --params 10M --tokens 200M --no-divergence --no-lr-prior --out {out} --export {0}" },
        { "--out", "contour --law {law} --steps 1000 --peaks 1e-4:1e-3:3 --warmups 0.01:0.1:3 --out {0}" },
        // Was: the fits and their progress line, then the refusal (2 lines).
        { "--plot", "compare --laws tissue --train {mpl} --test {mpl} --plot {0}" },
        { "--out", "verify --budgets 4 --out {0}" },
        { "--out", "sweep --params 1B --tokens 20B --out {0}" },
        // Was: the sweep's folder written in full, then the log folder refused: a half-written result left behind.
        { "--log-dir", "sweep --params 1B --tokens 20B --out {out} --log-dir {0}" },
        // Was: the demo's first part printed on stdout (30 s), then the refusal.
        { "--out", "demo --quiet --out {0}" },
    };

    private string[] FolderArgs(string template, string value) =>
        [.. Args(template, value).Select(a => a == "{out}" ? P("out") : a)];

    [Theory]
    [MemberData(nameof(FolderOutputs))]
    public void A_folder_output_naming_an_existing_file_is_refused_before_any_work(string option, string template)
    {
        File.WriteAllText(P("a-file"), "keep");
        string line = Refused(FolderArgs(template, P("a-file")));
        Assert.Contains($"{option}: ", line, StringComparison.Ordinal);
        Assert.Contains("is a file, not a folder", line, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FolderOutputs))]
    public void A_folder_output_under_a_file_is_refused_before_any_work(string option, string template)
    {
        File.WriteAllText(P("a-file"), "keep");
        string line = Refused(FolderArgs(template, Path.Combine(P("a-file"), "sub")));
        Assert.Contains($"{option}: ", line, StringComparison.Ordinal);
        Assert.Contains($"'{P("a-file")}' is a file, not a folder", line, StringComparison.Ordinal);
    }

    /// <summary>Was (as root): the plan made (or the sweep's folder written, the demo's first part printed), then "cannot write /proc/x".</summary>
    [Theory]
    [MemberData(nameof(FolderOutputs))]
    public void A_folder_output_in_proc_is_refused_before_any_work(string option, string template)
    {
        Assert.SkipWhen(Environment.UserName != "root", "only root passes access(2) on /proc, so only root reaches the probe this tests (others are refused by the permission check)");
        string line = Refused(FolderArgs(template, "/proc/hyperlaws-out"));
        Assert.Contains($"{option}: cannot write '/proc/hyperlaws-out': no file can be created in '/proc'", line, StringComparison.Ordinal);
    }

    /// <summary>
    /// Was (run as an unprivileged user): the work, its progress lines, then "cannot write ...: Access to the path ... is denied"
    /// (fit: 5 lines, diverge: 20); plan --export and sweep --log-dir after their first folder was written. Root may write
    /// anywhere, so the test runs only as another user.
    /// </summary>
    [Theory]
    [InlineData("--out", "fit --law tissue --runs {mpl} --out {0}")]
    [InlineData("--out", "diverge --fit --runs {sweep} --out {0}")]
    [InlineData("--export", "plan --params 10M --tokens 200M --no-divergence --no-lr-prior --out {out} --export {0}")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void An_output_in_a_read_only_folder_is_refused_before_any_work(string option, string template)
    {
        Assert.SkipWhen(Environment.UserName == "root", "root may write in a read-only folder");
        Directory.CreateDirectory(P("ro"));
        File.SetUnixFileMode(P("ro"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            string line = Refused(FolderArgs(template, Path.Combine(P("ro"), "x")));
            Assert.Contains($"{option}: ", line, StringComparison.Ordinal);
            Assert.Contains($"no permission to create files in '{P("ro")}'", line, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(P("ro"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Was: exit 70, "internal error (ArgumentException): An item with the same key has already been added. Key: kind".</summary>
    [Fact]
    public void A_rule_file_with_a_key_twice_is_refused()
    {
        File.WriteAllText(P("rule.json"), """{"kind":"hyperlaws-optimum-rule","kind":"x"}""");
        Assert.Contains("rule.json: not JSON (Duplicate property", Refused("optimum", "--sweep", Sweep, "--rule", P("rule.json")), StringComparison.Ordinal);
    }

    /// <summary>Was: exit 70, "internal error (ArgumentException): An item with the same key has already been added. Key: kind".</summary>
    [Fact]
    public void A_size_law_file_with_a_key_twice_is_refused()
    {
        File.WriteAllText(P("size.json"), """{"kind":"hyperlaws-size-law","kind":"x"}""");
        Assert.Contains("size.json: Duplicate property", Refused("size-law", "--law", P("size.json"), "--predict", "1e9:2e10"), StringComparison.Ordinal);
    }

    /// <summary>Was: exit 0 after an 80 s fit with nothing written (--out), nothing predicted (--predict) or nothing held out (--held-out).</summary>
    [Theory]
    [InlineData("--out", "size.json")]
    [InlineData("--predict", "1e9:2e10")]
    [InlineData("--held-out", "0.3")]
    public void Size_law_options_of_another_mode_are_refused_not_ignored(string option, string value)
    {
        string v = option == "--out" ? P(value) : value;
        Assert.StartsWith($"hyperlaws: error: {option}: ", Refused("size-law", "--data", DataFolders.Shared, "--resamples", "10", option, v), StringComparison.Ordinal);
    }

    /// <summary>A generic run of 40 steps, loss 5/sqrt(s), every step at the learning rate <paramref name="lr"/>.</summary>
    private string Run(string name, double lr) =>
        Tmp.File(name, "step,loss,lr\n" + string.Concat(Enumerable.Range(1, 40).Select(s => FormattableString.Invariant($"{s},{5 / Math.Sqrt(s):R},{lr:R}\n"))));

    /// <summary>
    /// Was: exit 0 and a LAW.json from a fit that stopped at "non-finite prediction at the start", printed as "in-sample PredE
    /// Infinity%" (fit), or the scores of a law that predicts nothing (compare).
    /// </summary>
    [Theory]
    [InlineData("fit --law tissue --runs {run} --out {out}")]
    [InlineData("fit --law mpl --runs {run} --out {out}")]
    [InlineData("compare --laws tissue --train {run} --test {mpl}")]
    public void A_run_whose_learning_rates_are_all_zero_is_refused_naming_the_file(string template)
    {
        string run = Run("lr-zero.csv", 0);
        string line = Refused([.. Args(template, "").Select(a => a == "{run}" ? run : a == "{out}" ? P("out.json") : a)]);
        Assert.Contains($"{run}:run: every learning rate of the run is 0", line, StringComparison.Ordinal);
    }

    /// <summary>Was: "tiny: the schedule's peak LR must be positive." (the run's name, not the file that holds it).</summary>
    [Fact]
    public void Diverge_fit_names_the_file_of_a_run_it_cannot_use()
    {
        string run = Run("lr-zero.csv", 0);
        Assert.Contains($"{run}:run: every learning rate of the run is 0", Refused("diverge", "--fit", "--runs", run, "--out", P("div.json")), StringComparison.Ordinal);
    }

    /// <summary>Was: "NaN" in the Kendall tau column when there is one test run (no pair to rank).</summary>
    [Fact]
    public void Compare_shows_an_undefined_score_as_n_a_not_nan()
    {
        var r = Cli.Run("compare", "--laws", "tissue", "--quiet", "--train", Run("train.csv", 1e-3), "--test", Run("test.csv", 1e-3));
        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain("NaN", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("n/a", r.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// Was: a message that names neither the option nor the value ("momentum must be in [0, 1) (got 1).", "the sweep needs 0 &lt;
    /// min tokens &lt; max tokens.", "the source budget must be positive (got 0).").
    /// </summary>
    [Theory]
    [InlineData("transfer --regime joint --from-tokens 1e9 --lr 3e-3 --momentum 1 --batch 256 --to-tokens 1e11", "--momentum: '1'")]
    [InlineData("transfer --regime joint --from-tokens 1e-400 --lr 3e-3 --momentum 0.9 --batch 256 --to-tokens 1e11", "--from-tokens: '1e-400'")]
    [InlineData("verify --min-tokens 1e10 --max-tokens 1e9 --no-figures --out {out}", "--min-tokens: 1e10 is not below --max-tokens 1e9")]
    // Was: "budget 1E+03 tokens is too small: ..." (the option not named, the value not as given).
    [InlineData("sweep --params 1B --tokens 20B --budgets 1e3", "--budgets: '1e3' tokens is too small")]
    [InlineData("sweep --params 1B --tokens 20B --budgets 2e8,200M", "--budgets: '2e8' tokens is given twice")]
    public void Values_wrong_together_or_at_an_edge_name_their_option(string commandLine, string fragment) =>
        Assert.Contains(fragment, Refused([.. Cli.Split(commandLine).Select(a => a == "{out}" ? P("verify") : a)]), StringComparison.Ordinal);

    /// <summary>Was: "run.csv:1: no step column among '# name: tiny': name it with --step-column." (the metadata line taken for the header).</summary>
    [Theory]
    [InlineData("--loss-column")]
    [InlineData("--metric")]
    public void A_named_column_in_a_generic_run_with_metadata_lines_says_why_it_is_refused(string option)
    {
        string run = Tmp.File("run.csv", "# name: tiny\n# params: 1.5e6\nstep,loss,lr\n1,5,1e-3\n2,4,1e-3\n");
        Assert.Contains("run.csv:1: starts with '#' metadata lines", Refused("import", run, option, "loss", "--out", P("out.csv")), StringComparison.Ordinal);
    }

    /// <summary>
    /// Was: a data folder without the needed inputs found after output had begun: demo printed its first heading on stdout,
    /// diverge --validate its progress line, then the error.
    /// </summary>
    [Theory]
    [InlineData("demo --quiet --out {out} --data {data}")]
    [InlineData("diverge --validate --data {data}")]
    // Was: "<data>/critical-batch-size/...: not found" (the path, not the option).
    [InlineData("validate --protocol 5 --data {data}")]
    public void A_data_folder_without_the_inputs_is_refused_before_any_output(string commandLine)
    {
        Directory.CreateDirectory(P("data"));
        string line = Refused([.. Cli.Split(commandLine).Select(a => a == "{out}" ? P("out") : a == "{data}" ? P("data") : a)]);
        Assert.StartsWith("hyperlaws: error: --data: ", line, StringComparison.Ordinal);
    }

    /// <summary>Was: "no run with a positive learning rate that did not diverge: nothing to plan from." (naming neither option nor file).</summary>
    [Fact]
    public void Plan_names_the_runs_it_cannot_plan_from()
    {
        string run = Run("lr-zero.csv", 0);
        string line = Refused("plan", "--params", "10M", "--tokens", "200M", "--no-divergence", "--no-lr-prior", "--no-fit-cache", "--runs", run, "--out", P("plan"));
        // Read first: the reader refuses a run no update moved (RunAssembly), naming the file.
        Assert.StartsWith($"hyperlaws: error: {run}:run: every learning rate of the run is 0", line, StringComparison.Ordinal);
    }

    /// <summary>Was: "--data: ..." named by diverge and demo but not by validate, whose message named only the path.</summary>
    [Fact]
    public void Validate_names_the_data_option_of_a_folder_that_is_not_there() =>
        Assert.StartsWith($"hyperlaws: error: --data: {P("nowhere")}", Refused("validate", "--protocol", "1", "--data", P("nowhere")), StringComparison.Ordinal);

    /// <summary>Was: "Unrecognized command or argument 'yes'" (the flag not named); "--quiet=true" passed as the flag alone.</summary>
    [Theory]
    [InlineData("--quiet=yes", "yes")]
    [InlineData("--quiet:yes", "yes")]
    [InlineData("--quiet=true", "true")]
    [InlineData("--quiet yes", "yes")]
    [InlineData("--quiet false", "false")]
    [InlineData("--quiet True", "True")]
    public void A_flag_given_a_value_says_it_takes_none(string flag, string value) =>
        Assert.Equal($"hyperlaws: error: --quiet takes no value (got '{value}'): give --quiet alone.",
            Refused(["fit", "--law", "tissue", "--runs", Mpl("cosine_24000.csv"), "--out", P("law.json"), .. Cli.Split(flag)]));

    /// <summary>Was: exit 0, a contour figure and a ranking from a law whose every parameter is 0 (predict refused it only when it evaluated a loss of 0).</summary>
    [Theory]
    [InlineData("contour --law {zero} --steps 1000 --peaks 1e-4:1e-3:3 --warmups 0.01:0.1:3 --out {out}")]
    [InlineData("rank-continuation --law {zero} --history " + Spec + " --steps 100")]
    [InlineData("predict --law {zero} --schedule " + Spec + " --steps 100,500")]
    public void A_law_file_whose_parameters_are_all_zero_is_refused_naming_the_file(string template)
    {
        string law = Tmp.File("law-zero.json", """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":0,"A":0,"alpha":0,"C":0}}""");
        string line = Refused([.. Cli.Split(template).Select(a => a == "{zero}" ? law : a == "{out}" ? P("contour") : a)]);
        Assert.Contains($"{law}: every parameter of tissue is 0 (L0, A, alpha, C)", line, StringComparison.Ordinal);
    }

    /// <summary>
    /// Was: a toy run (the audit's good.csv: 200 steps of 5/sqrt(s)) planned to 200M tokens: the law's loss not physical (-67 at
    /// 43b788b, 0.0057 later, far below the runs' losses) with no interval, and the anchored-loss row read "(NaN-NaN)". Now no NaN anywhere,
    /// the law said not physical, and the loss withheld ("CANNOT BE PREDICTED").
    /// </summary>
    [Fact]
    public void A_plan_whose_law_predicts_a_negative_loss_prints_no_nan_and_flags_it()
    {
        string run = Tmp.File("good.csv", "# name: tiny\n# params: 1.5e6\n# tokens_per_step: 4096\nstep,loss,lr\n"
            + string.Concat(Enumerable.Range(1, 200).Select(s => FormattableString.Invariant($"{s},{5 / Math.Sqrt(s):R},{1e-3 * Math.Min(1, s / 10.0):R}\n"))));
        var r = Cli.Run("plan", "--params", "10M", "--tokens", "200M", "--laws", "tissue", "--no-divergence", "--no-lr-prior", "--no-fit-cache", "--runs", run, "--out", P("plan"));
        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain("NaN", r.Stdout + r.Stderr, StringComparison.Ordinal);
        Assert.Contains("is not physical", r.Stdout + r.Stderr, StringComparison.Ordinal);
        // Withheld (docs/VALIDATION.md, "A physically bounded fallback ..."): no loss printed, said in words.
        Assert.Contains("CANNOT BE PREDICTED", r.Stdout, StringComparison.Ordinal);
    }
}
