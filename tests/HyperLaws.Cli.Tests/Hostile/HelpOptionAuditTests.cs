using Xunit;

namespace HyperLaws.Cli.Tests.Hostile;

/// <summary>
/// The hostile audit's cases drawn from every command's --help (helper hostile): a wrong law name for plan's, validate's and demo's
/// --laws, and a wrong optimizer for sweep's --optimizer, were refused without naming the option ("unknown law 'banana' ...", the
/// core's "'banana' is not an optimizer ..."); demo looked at --data first; optimize-schedule --plot banana wrote banana.png,
/// banana-loss.png and their SVGs and CSVs (predict's --plot must end in .png). Each is one line naming the option, exit 2, nothing written.
/// </summary>
public sealed class HelpOptionAuditTests
{
    private static string EmptyFolder => Directory.CreateTempSubdirectory("hl-help-audit-").FullName;

    [Theory]
    [InlineData("plan --params 10M --tokens 200M --no-divergence --no-lr-prior --quiet --laws banana", "--laws: unknown law 'banana' (known: ")]
    [InlineData("plan --params 10M --tokens 200M --no-divergence --no-lr-prior --quiet --laws tissue,-1", "--laws: unknown law '-1' (known: ")]
    [InlineData("validate --protocol 1 --laws banana --data {empty}", "--laws: unknown law 'banana' (known: ")]
    [InlineData("demo --quiet --laws banana --data {empty} --out {empty}/d", "--laws: unknown law 'banana' (known: ")]
    [InlineData("compare --laws banana --train a.csv --test b.csv", "--laws: unknown law 'banana' (known: ")]
    [InlineData("optimize-schedule --law {law} --steps 1000 --peak 3e-4 --evaluations 50 --knots 4 --plot {empty}/banana", "--plot: '")]
    [InlineData("sweep --params 1B --tokens 20B --optimizer banana --out {empty}/sw", "--optimizer: 'banana' is not an optimizer: use one of adamw, muon, signsgd, nsgd.")]
    public void A_wrong_name_is_refused_naming_its_option(string commandLine, string expected)
    {
        string empty = EmptyFolder;
        string law = Path.Combine(Path.GetTempPath(), $"hl-help-audit-law-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(law, """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}""");
            string[] args = [.. Cli.Split(commandLine).Select(a => a.Replace("{empty}", empty, StringComparison.Ordinal).Replace("{law}", law, StringComparison.Ordinal))];
            string line = Cli.Run(args).AssertUsageError();
            Assert.StartsWith("hyperlaws: error: " + expected, line, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(empty));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
            File.Delete(law);
        }
    }
}
