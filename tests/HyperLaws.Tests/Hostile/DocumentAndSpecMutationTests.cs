using System.Text;
using System.Text.Json.Nodes;
using HyperLaws.Divergence;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Hostile;

/// <summary>
/// Issue 13: the schedule spec parser and the JSON documents (LAW.json, DIV.json) under thousands of seeded
/// mutations. Each either parses to something valid (finite parameters within the documented range, a
/// schedule whose every step is finite) or fails with a <see cref="FormatException"/> saying why; never
/// another exception, never a stack overflow.
/// </summary>
public sealed class DocumentAndSpecMutationTests
{
    private static readonly string[] Tokens =
    [
        "NaN", "nan", "-1e308", "1e308", "1e999", "99999999999", "-1", "0", "\0", "\n", "\"", "{", "}", "[", "]",
        ",", ":", "=", "(", ")", "inf", "-Infinity", "\u202e", "true", "null", "continued(previous=", "table(file=/dev/zero)",
    ];

    private static string Mutate(string input, Random rng, int maxEdits = 3)
    {
        var s = new StringBuilder(input);
        int edits = 1 + rng.Next(maxEdits);
        for (int e = 0; e < edits; e++)
        {
            int at = s.Length == 0 ? 0 : rng.Next(s.Length);
            switch (rng.Next(5))
            {
                case 0 when s.Length > 0: s[at] = (char)rng.Next(32, 127); break;
                case 1 when s.Length > 0: s.Remove(at, Math.Min(s.Length - at, 1 + rng.Next(8))); break;
                case 2 when s.Length > 0: s.Insert(at, s.ToString(at, Math.Min(s.Length - at, 1 + rng.Next(40)))); break;
                case 3: s.Insert(at, Tokens[rng.Next(Tokens.Length)]); break;
                default: s.Length = at; break;
            }
        }
        return s.ToString();
    }

    private static readonly string[] Specs =
    [
        "cosine(peak=3e-4,warmup=100,steps=2000,floor=0.1)",
        "wsd(peak=1e-3,warmup=50,steps=1000,cooldown=0.2,shape=sqrt,floor=0)",
        "multistep(peak=1e-3,steps=900,milestones=[300;600],factor=0.3)",
        "continued(previous=cosine(peak=1e-3,steps=500),next=wsd(peak=5e-4,warmup=10,steps=400,cooldown=0.1),rewarmFrom=current)",
        "table(values=[0.001;0.0009;0.0005;0.0001],warmup=3)",
        "fourphase(peak=1e-3,steps=1000,decayEnd=0.6,decayTo=0.3,cooldown=0.2)",
        "{\"family\":\"cosine\",\"peak\":0.0003,\"steps\":300,\"warmup\":30}",
    ];

    [Fact]
    public void Spec_parser_survives_mutation()
    {
        var rng = new Random(1313);
        int parsed = 0, refused = 0;
        for (int i = 0; i < 4000; i++)
        {
            string spec = Mutate(Specs[i % Specs.Length], rng, maxEdits: 1);
            try
            {
                var s = LrSchedule.Parse(spec);
                parsed++;
                if (s.Steps <= 100_000)
                    Assert.All(s.Evaluate(), v => Assert.True(double.IsFinite(v) && v >= 0, $"'{spec}' gives LR {v}"));
                Assert.Equal(s, LrSchedule.Parse(s.ToSpec()));
            }
            catch (FormatException)
            {
                refused++;
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"'{spec}': {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(parsed > 100 && refused > 100, $"parsed {parsed}, refused {refused}: the mutations should exercise both paths");
    }

    [Theory]
    [InlineData(600)]
    [InlineData(20_000)]
    public void Deeply_nested_specs_are_refused_not_a_stack_overflow(int depth)
    {
        string deep = string.Concat(Enumerable.Repeat("continued(previous=", depth)) + "cosine(peak=1e-3,steps=2)"
            + string.Concat(Enumerable.Repeat(",next=cosine(peak=1e-3,steps=2))", depth));
        var e = Assert.Throws<ScheduleSpecException>(() => LrSchedule.Parse(deep));
        Assert.Contains("nested", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_within_the_limit_still_parses()
    {
        int depth = 10;
        string spec = string.Concat(Enumerable.Repeat("continued(previous=", depth)) + "cosine(peak=1e-3,steps=2)"
            + string.Concat(Enumerable.Repeat(",next=cosine(peak=1e-3,steps=2))", depth));
        Assert.Equal(2 * (depth + 1), LrSchedule.Parse(spec).Steps);
    }

    [Fact]
    public void Peak_beyond_the_bound_is_refused() =>
        Assert.Contains("peak", Assert.Throws<ScheduleSpecException>(() => LrSchedule.Parse("cosine(peak=1e308,steps=10)")).Message, StringComparison.Ordinal);

    [Fact]
    public void Memory_estimate_refuses_a_billion_steps_and_accepts_ordinary_runs()
    {
        Assert.Throws<ScheduleSpecException>(() => ScheduleMemory.Check(999_999_999, 16_000_000_000));
        ScheduleMemory.Check(1_000_000, 16_000_000_000);
    }

    private const string Law = """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40},"objective":0.001,"converged":true,"stopReason":"x","runs":["a.csv"]}""";

    [Fact]
    public void Law_document_survives_mutation()
    {
        var rng = new Random(1314);
        for (int i = 0; i < 3000; i++)
        {
            string json = Mutate(Law, rng);
            try
            {
                var doc = FittedLawDocument.Parse(json);
                var (law, p) = doc.Instantiate();
                Assert.All(p, v => Assert.True(double.IsFinite(v) && Math.Abs(v) <= FittedLawDocument.MaxParameterMagnitude, $"{json}: parameter {v}"));
                for (int j = 0; j < p.Length; j++)
                    Assert.True(!law.Positive[j] || p[j] >= 0, $"{json}: {law.ParameterNames[j]} = {p[j]}");
            }
            catch (FormatException)
            {
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"{json}: {e.GetType().Name}: {e.Message}");
            }
        }
    }

    [Theory]
    [InlineData("\"version\":1,", "\"version\":2,", "version 2")]
    [InlineData("\"version\":1,", "\"version\":999,", "version 999")]
    [InlineData("\"version\":1,", "\"version\":\"abc\",", "\"version\"")]
    [InlineData("\"version\":1,", "", "missing \"version\"")]
    [InlineData("\"L0\":3.15", "\"L0\":-1e308", "'L0'")]
    [InlineData("\"A\":0.51", "\"A\":1e308", "'A'")]
    [InlineData("\"A\":0.51", "\"A\":-0.51", "'A'")]
    public void Law_document_version_and_ranges_are_checked(string from, string to, string fragment)
    {
        var e = Assert.Throws<FormatException>(() => FittedLawDocument.Parse(Law.Replace(from, to, StringComparison.Ordinal)));
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fit_ending_with_an_infinite_parameter_has_no_document()
    {
        var law = LawCatalog.Create("mpl");
        var p = new double[law.ParameterNames.Count];
        Array.Fill(p, 0.5);
        p[1] = double.PositiveInfinity;
        var fit = new LawFit(law, p, 0.01, 10, 100, true, "tolerance");
        Assert.False(fit.HasFiniteParameters);
        Assert.Contains(law.ParameterNames[1] + " = Infinity", fit.NonFiniteSummary(), StringComparison.Ordinal);
        var e = Assert.Throws<ArgumentException>(() => FittedLawDocument.From(fit, ["run.csv"]));
        Assert.Contains("did not converge", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Divergence_document_survives_mutation()
    {
        var model = new DivergenceModel(new CriticalLrRule(-3.9, -0.4, -0.07, 0.18, 0, 8.4));
        string json = DivergenceModelDocument.ToJson(model, new JsonObject { ["note"] = "x" }).ToJsonString();
        var rng = new Random(1315);
        for (int i = 0; i < 2000; i++)
        {
            string mutated = Mutate(json, rng);
            try
            {
                DivergenceModelDocument.Parse(mutated);
            }
            catch (FormatException)
            {
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"{mutated}: {e.GetType().Name}: {e.Message}");
            }
        }
    }
}
