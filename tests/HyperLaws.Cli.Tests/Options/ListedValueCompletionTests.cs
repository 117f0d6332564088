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
}
