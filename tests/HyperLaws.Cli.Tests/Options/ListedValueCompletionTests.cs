using System.CommandLine;
using HyperLaws.Cli.Output;
using HyperLaws.Laws;
using HyperLaws.Planning;
using Xunit;

namespace HyperLaws.Cli.Tests.Options;

/// <summary>
/// Tab completion of the free-text options whose help lists their values (<see cref="HyperLaws.Cli.Options.CliOptions.Completes"/>):
/// each completes to exactly the values it lists, filtered by the word typed; a comma list completes its last item after the ones typed.
/// The commands still parse these values themselves (their messages are unchanged).
/// </summary>
public sealed class ListedValueCompletionTests
{
    private static readonly RootCommand Root = CliApp.Build(new CliIo(TextWriter.Null, TextWriter.Null));

    /// <summary>The completions after <paramref name="commandLine"/> (the cursor at its end).</summary>
    private static List<string> Completions(string commandLine) => [.. Root.Parse(commandLine).GetCompletions().Select(c => c.Label)];

    public static TheoryData<string, string[]> Listed() => new()
    {
        { "plan --optimizer", [.. TrainingOptimizers.Names] },
        { "plan --laws", [.. LawCatalog.All] },
        { "plan --anchor", ["steplaw", "deepseek"] },
        { "plan --joint-noise-power", ["default", "1"] },
        { "plan --fit-on", ["train", "val"] },
        { "plan --anchor-tail", ["train", "all", "off"] },
        { "plan --batch-steps", ["steps", "critical-batch"] },
        { "demo --laws", [.. LawCatalog.All] },
        { "compare --laws", [.. LawCatalog.All] },
        { "sweep --optimizer", [.. TrainingOptimizers.Names] },
        { "sweep --arms", ["constant", "cosine", "wsd", "none"] },
        { "diverge --optimizer", [.. TrainingOptimizers.Names] },
        { "import --optimizer", [.. HyperLaws.Cli.Commands.Import.ImportCommand.KnownOptimizers] },
    };

    [Theory]
    [MemberData(nameof(Listed))]
    public void The_option_completes_to_the_values_its_help_lists(string option, string[] values)
    {
        Assert.Equal(values.Order(StringComparer.Ordinal), Completions(option + " ").Order(StringComparer.Ordinal));
        string[] words = option.Split(' ');
        var help = Root.Subcommands.Single(c => c.Name == words[0]).Options.Single(o => o.Name == words[1]).Description!;
        // Every value completed is one the help names (a list written out, or one built from the same names).
        Assert.All(values, v => Assert.Contains(v, help, StringComparison.Ordinal));
    }

    [Fact]
    public void A_word_typed_filters_the_values_in_any_case()
    {
        Assert.Equal(["deepseek"], Completions("plan --anchor De"));
        Assert.Equal(["critical-batch"], Completions("plan --batch-steps crit"));
        Assert.Empty(Completions("plan --fit-on x"));
    }

    [Fact]
    public void A_comma_list_completes_its_last_item_after_the_items_typed()
    {
        // System.CommandLine orders the completions by label.
        Assert.Equal(["optlaw,mpl", "optlaw,mpl-box", "optlaw,mpl-g1", "optlaw,mpl-log", "optlaw,mpl-pub"], Completions("plan --laws optlaw,mp").Order(StringComparer.Ordinal));
        Assert.DoesNotContain("optlaw,optlaw", Completions("plan --laws optlaw,"));
        Assert.Equal(["constant,cosine", "constant,none", "constant,wsd"], Completions("sweep --arms constant,").Order(StringComparer.Ordinal));
    }

    /// <summary>What <c>hyperlaws [suggest:N] LINE</c> (dotnet-suggest's call, the cursor at the line's end) exits with and prints.</summary>
    private static (int Exit, string[] Out, string Err) Suggest(string line)
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        int exit = CliApp.Run([$"[suggest:{line.Length}]", line], o, e);
        return (exit, o.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), e.ToString());
    }

    /// <summary>Was: "internal error (InvalidOperationException): Sequence contains no matching element", exit 70, on every <c>--option=value</c>.</summary>
    [Theory]
    [InlineData("plan --laws=optlaw,mp", "plan --laws optlaw,mp")]
    [InlineData("plan --anchor=de", "plan --anchor de")]
    [InlineData("fit --law=mp", "fit --law mp")]
    [InlineData("plan --out=x", "plan --out x")]
    [InlineData("plan --anchor=deepseek --laws=opt", "plan --anchor deepseek --laws opt")]
    public void An_option_given_with_an_equals_sign_completes_as_with_a_space(string withEquals, string withSpace)
    {
        var (exit, lines, err) = Suggest(withEquals);
        Assert.Equal(0, exit);
        Assert.Equal("", err);
        Assert.Equal(Suggest(withSpace).Out, lines);
    }

    [Fact]
    public void The_equals_form_completes_the_listed_values()
    {
        Assert.Equal(["deepseek"], Suggest("plan --anchor=de").Out);
        Assert.Equal(["optlaw,mpl", "optlaw,mpl-box", "optlaw,mpl-g1", "optlaw,mpl-log", "optlaw,mpl-pub"], Suggest("plan --laws=optlaw,mp").Out.Order(StringComparer.Ordinal));
    }
}
