using Xunit;

namespace HyperLaws.Cli.Tests.Hostile;

/// <summary>
/// Hostile audit (helper hostile): a law file with a parameter its law does not have (<c>"Z": 1</c> beside tissue's
/// four) was read and used by every command that takes a law, the extra name ignored. It is refused where law files are read,
/// as one line naming the file and the parameter, exit 2, nothing written.
/// </summary>
public sealed class UnknownLawParameterTests : HostileTempFolder
{
    private const string Spec = "cosine(peak=3e-4,warmup=10,steps=1000)";

    private const string ExtraParameter = """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40,"Z":1}}""";

    [Theory]
    [InlineData("predict --law {0} --schedule " + Spec + " --steps 100,500")]
    [InlineData("predict --law {0} --schedule " + Spec + " --plot {out}")]
    [InlineData("rank --law {0} --steps 1000 --peaks 1e-4:1e-3:3")]
    [InlineData("rank-continuation --law {0} --history " + Spec + " --steps 100")]
    [InlineData("optimize-schedule --law {0} --steps 1000 --peak 3e-4 --evaluations 50 --knots 4 --out {out}")]
    [InlineData("contour --law {0} --steps 1000 --peaks 1e-4:1e-3:3 --warmups 0.01:0.1:3 --out {out}")]
    public void A_parameter_the_law_lacks_is_refused_naming_it(string template)
    {
        File.WriteAllText(P("extra.json"), ExtraParameter);
        string[] args = [.. Cli.Split(template).Select(a => a.Replace("{0}", P("extra.json"), StringComparison.Ordinal).Replace("{out}", P("out"), StringComparison.Ordinal))];
        string line = Cli.Run(args).AssertUsageError();
        Assert.Contains("extra.json", line, StringComparison.Ordinal);
        Assert.Contains("parameter 'Z' is not one of tissue's (L0, A, alpha, C)", line, StringComparison.Ordinal);
        Assert.False(Path.Exists(P("out")), "an output was written");
    }

    [Fact]
    public void The_same_file_without_the_extra_parameter_is_read()
    {
        var r = Cli.Run("predict", "--law", P("law.json"), "--schedule", Spec, "--steps", "100,500");
        Assert.Equal(0, r.ExitCode);
    }
}
