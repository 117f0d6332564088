using System.Text.Json.Nodes;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Tests.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Fitting;

public sealed class FittedLawDocumentTests
{
    private static readonly Lazy<BootstrapResult> Result = new(() =>
        LawBootstrap.Run(new AnnealingLaw(), SyntheticCurves.Tissue(3, 2e-3, 31), new BootstrapOptions { Replicates = 20, Seed = 7, Level = 0.8, BlockLength = 4 }));

    [Fact]
    public void A_document_without_a_bootstrap_round_trips_and_writes_no_block()
    {
        var doc = FittedLawDocument.From(Result.Value.Fit, ["a", "b"]);
        string json = doc.ToJson();
        Assert.Null(JsonNode.Parse(json)!["bootstrap"]);
        var back = FittedLawDocument.Parse(json);
        Assert.Null(back.Bootstrap);
        Assert.Null(back.Intervals());
        Assert.Equal(doc.Parameters, back.Parameters);
    }

    [Fact]
    public void A_bootstrap_round_trips_bit_for_bit()
    {
        var doc = FittedLawDocument.From(Result.Value, ["a"]);
        var back = FittedLawDocument.Parse(doc.ToJson());
        var b = Assert.IsType<BootstrapSamples>(back.Bootstrap);
        var original = Result.Value.Bootstrap;
        Assert.Equal(original.Scheme, b.Scheme);
        Assert.Equal(original.Replicates, b.Replicates);
        Assert.Equal(original.Failed, b.Failed);
        Assert.Equal(7, b.Seed);
        Assert.Equal(0.8, b.Level);
        Assert.Equal(4, b.BlockLength);
        Assert.Equal(original.ResidualQuantiles, b.ResidualQuantiles);
        Assert.Equal(original.Samples.Count, b.Samples.Count);
        for (int i = 0; i < b.Samples.Count; i++) Assert.Equal(original.Samples[i], b.Samples[i]);

        var history = new ScheduleHistory(SyntheticCurves.Wsd(3500, 0.3));
        int[] steps = [1000, 3500];
        Assert.Equal(PredictionIntervals.From(Result.Value).Predict(history, steps).Upper, back.Intervals()!.Predict(history, steps).Upper);
    }

    /// <summary>The saved document with its bootstrap block changed by <paramref name="edit"/>.</summary>
    private static string Edited(Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(FittedLawDocument.From(Result.Value, ["a"]).ToJson())!.AsObject();
        edit(node["bootstrap"]!.AsObject());
        return node.ToJsonString();
    }

    public static TheoryData<string, string> Malformed() => new()
    {
        { Edited(b => b["scheme"] = "jackknife"), "jackknife" },
        { Edited(b => b["scheme"] = 3), "scheme" },
        { Edited(b => b.Remove("replicates")), "replicates" },
        { Edited(b => b["replicates"] = "many"), "replicates" },
        { Edited(b => b["seed"] = 1.5), "seed" },
        { Edited(b => b["level"] = 1.5), "level" },
        { Edited(b => b["level"] = "high"), "level" },
        { Edited(b => b["failed"] = 7), "failed" },
        { Edited(b => b["blockLength"] = 0), "blockLength" },
        { Edited(b => b["samples"]!.AsObject().Remove("alpha")), "'alpha'" },
        { Edited(b => b["samples"]!["gamma"] = new JsonArray(1.0)), "'gamma'" },
        { Edited(b => b["samples"]!["C"]!.AsArray().RemoveAt(0)), "'C'" },
        { Edited(b => b["samples"]!["A"]![2] = "x"), "entry 3" },
        { Edited(b => b["samples"] = new JsonArray()), "samples" },
        { Edited(b => b.Remove("residualQuantiles")), "residualQuantiles" },
        { Edited(b => b["residualQuantiles"]!.AsArray().Insert(0, 0.5)), "ascending" },
        { Edited(b => b["residualQuantiles"]![0] = -2.0), "above -1" },
        { """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3,"A":0.5,"alpha":0.5,"C":0.4},"bootstrap":[1]}""", "not an object" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_bootstrap_block_is_a_clear_format_error(string json, string fragment)
    {
        var e = Assert.Throws<FormatException>(() => FittedLawDocument.Parse(json));
        Assert.StartsWith("bootstrap:", e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("q_tangent")]
    [InlineData("q_peak")]
    [InlineData("n_M")]
    public void A_joint_law_file_from_before_a_parameter_reads_its_samples_as_zeros(string added)
    {
        // A joint-law LAW.json written before the parameter existed: neither its value nor its samples; the law it was fitted as is the
        // law with the parameter 0 (JointLaw.ZeroWhenAbsent), its samples a column of zeros.
        var names = new JointLaw().ParameterNames;
        var p = JointLawTests.Parameters();
        double[][] samples = [[.. p.Select(v => v * 1.01)], [.. p.Select(v => v * 0.98)], p];
        var doc = new FittedLawDocument("joint", names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => p[x.i]), 0.1, true, "converged", ["a"])
        {
            Bootstrap = new BootstrapSamples(BootstrapScheme.Runs, 3, 7, 0.8, samples, [-0.01, 0, 0.01]),
        };
        var node = JsonNode.Parse(doc.ToJson())!.AsObject();
        Assert.True(node["parameters"]!.AsObject().Remove(added));
        Assert.True(node["bootstrap"]!["samples"]!.AsObject().Remove(added));
        var b = Assert.IsType<BootstrapSamples>(FittedLawDocument.Parse(node.ToJsonString()).Bootstrap);
        int j = names.ToList().IndexOf(added);
        Assert.Equal(samples.Length, b.Samples.Count);
        for (int i = 0; i < samples.Length; i++)
        {
            Assert.Equal(0, b.Samples[i][j]);
            Assert.Equal(samples[i], b.Samples[i]);   // the others as written (the added one was 0 in each)
        }
        // A parameter the law always had is still refused without its samples.
        Assert.True(node["bootstrap"]!["samples"]!.AsObject().Remove("E"));
        var e = Assert.Throws<FormatException>(() => FittedLawDocument.Parse(node.ToJsonString()));
        Assert.Equal("bootstrap: no samples of 'E'.", e.Message);
    }

    public static TheoryData<string> AbsentWhenOld => [.. JointLaw.ZeroWhenAbsent.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(AbsentWhenOld))]
    public void A_joint_law_file_without_a_newer_parameter_loads_and_predicts_as_with_it_at_zero(string absent)
    {
        // The positivity and all-zero checks indexed the file's dictionary: a file without a positive one (W_clock, H_edge, ...)
        // threw KeyNotFoundException (exit 70 on 'predict --law'). Written by the writer 'fit' uses, the name removed.
        var names = new JointLaw().ParameterNames;
        var p = JointLawTests.Parameters();
        var doc = new FittedLawDocument("joint", names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => p[x.i]), 0.1, true, "converged", ["a"]);
        var node = JsonNode.Parse(doc.ToJson())!.AsObject();
        node["parameters"]![absent] = 0.0;
        string zero = node.ToJsonString();
        Assert.True(node["parameters"]!.AsObject().Remove(absent));
        var (law, without) = FittedLawDocument.Parse(node.ToJsonString()).Instantiate();
        var (_, atZero) = FittedLawDocument.Parse(zero).Instantiate();
        Assert.Equal(atZero, without);
        var joint = Assert.IsType<JointLaw>(law);
        var h = new ScheduleHistory(JointLawTests.Wsd(2000, 100, 1e-3, 0.2));
        int[] steps = [100, 1000, 2000];
        double[] y = new double[3], y0 = new double[3];
        joint.Predict(without, h, 3e8, 1e6, steps, y);
        joint.Predict(atZero, h, 3e8, 1e6, steps, y0);
        Assert.Equal(y0, y);
        Assert.All(y, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void An_all_zero_joint_law_file_without_b_eta_is_refused_as_no_fitted_law()
    {
        var names = new JointLaw().ParameterNames.Where(n => n != "b_eta");
        string json = new FittedLawDocument("joint", names.ToDictionary(n => n, _ => 0.0), 0.1, true, "converged", ["a"]).ToJson();
        var e = Assert.Throws<FormatException>(() => FittedLawDocument.Parse(json));
        Assert.StartsWith("every parameter of joint is 0 (", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_the_law_does_not_have_is_refused_naming_it()
    {
        // A misspelt ZeroWhenAbsent parameter of the joint law ("q_paek") read silently as q_peak = 0 before (hostile audit).
        var names = new JointLaw().ParameterNames;
        var p = JointLawTests.Parameters();
        var doc = new FittedLawDocument("joint", names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => p[x.i]), 0.1, true, "converged", ["a"]);
        var node = JsonNode.Parse(doc.ToJson())!.AsObject();
        var ps = node["parameters"]!.AsObject();
        double q = (double)ps["q_peak"]!;
        Assert.True(ps.Remove("q_peak"));
        ps["q_paek"] = q;
        var e = Assert.Throws<FormatException>(() => FittedLawDocument.Parse(node.ToJsonString()));
        Assert.StartsWith("parameter 'q_paek' is not one of joint's (", e.Message, StringComparison.Ordinal);
        Assert.Equal(names.Count, FittedLawDocument.Parse(doc.ToJson()).Parameters.Count); // as written, it reads
    }

    [Fact]
    public void A_replicate_count_with_fewer_than_two_samples_is_refused()
    {
        string json = Edited(b =>
        {
            foreach (var (_, column) in b["samples"]!.AsObject()) while (column!.AsArray().Count > 1) column.AsArray().RemoveAt(1);
            b["failed"] = 19;
        });
        var e = Assert.Throws<FormatException>(() => FittedLawDocument.Parse(json));
        Assert.Contains("at least 2", e.Message, StringComparison.Ordinal);
    }
}
