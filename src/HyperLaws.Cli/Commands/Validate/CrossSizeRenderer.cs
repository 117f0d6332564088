using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Commands.Compare;
using HyperLaws.Cli.Output;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Tables and JSON of <c>hyperlaws validate --protocol 2</c> (<see cref="CrossSizeScoreboard"/>).</summary>
internal sealed class CrossSizeRenderer : IResultRenderer<CrossSizeScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly CrossSizeRenderer Instance = new();

    /// <summary>The size law's reference size N_ref (parameters), read off the first law's headline fit; NaN when there is none.</summary>
    private static double ReferenceSize(CrossSizeResult result) =>
        result.Laws.Count > 0 && result.Laws[0].Headline.Fit.Law is SizedLaw sized ? sized.Spec.ReferenceSize : double.NaN;

    /// <summary>The schedule laws' headline size law: protocol 2's, or the given exponent's (<see cref="CrossSize.GivenExponentVariants"/>).</summary>
    private static CrossSizeVariant Headline(CrossSizeScoreboard scoreboard) =>
        scoreboard.SizeExponent is { } beta ? CrossSize.GivenExponentVariants(beta)[0] : CrossSize.Variants[0];

    /// <inheritdoc/>
    public JsonNode ToJson(CrossSizeScoreboard scoreboard)
    {
        var result = scoreboard.Result;
        var headline = Headline(scoreboard);
        return new JsonObject
        {
            ["protocol"] = 2,
            ["train"] = Json.Strings(result.Train.Select(t => t.Name)),
            ["test"] = Json.Strings(result.Test.Select(t => t.Name)),
            ["sizeLaw"] = new JsonObject
            {
                ["headline"] = headline.Name,
                ["offset"] = "L0(N) = E + b (N/Nref)^-beta",
                ["offsetExponent"] = headline.OffsetExponent,
                ["offsetExponentSource"] = scoreboard.Pooled is not null ? "pooled fit (--size-exponent pooled=DIR)" : scoreboard.SizeExponent is null ? "Hoffmann et al. 2022 (Chinchilla), approach 3" : "given (--size-exponent)",
                ["pooled"] = scoreboard.Pooled is { } p ? PooledJson(p) : null,
                ["referenceSize"] = Json.Number(ReferenceSize(result)),
            },
            ["laws"] = new JsonArray([.. result.Laws.Select(l =>
            {
                var node = ScoreJson(l.Law, l.Headline, result.Test);
                node["variants"] = new JsonArray([.. l.Variants.Select(v => (JsonNode)ScoreJson(l.Law, v, result.Test))]);
                node["baseline"] = ScoreJson(l.Law, l.Baseline, result.Test);
                return (JsonNode)node;
            })]),
        };
    }

    /// <summary>The pooled fit: the shared beta, each source's beta alone (null where its profile is flat), and each source's evaluated profile.</summary>
    private static JsonObject PooledJson(PooledExponentResult p) => new()
    {
        ["beta"] = Json.Number(p.Pooled.Beta),
        ["objective"] = Json.Number(p.Pooled.Objective),
        ["alone"] = new JsonArray([.. p.Alone.Select((a, i) => (JsonNode)new JsonObject
        {
            ["source"] = a.Source,
            ["beta"] = a.Flat ? null : Json.Number(a.Beta), // null: the profile is flat (PooledSizeExponent.IsFlat), its minimum a tie-break
            ["objective"] = Json.Number(a.Objective),
            ["profile"] = new JsonArray([.. p.Profiles[i].Select(x => (JsonNode)new JsonArray(Json.Number(x.Beta), Json.Number(x.Objective)))]),
        })]),
    };

    private static JsonObject ScoreJson(string law, CrossSizeScore s, IReadOnlyList<FitTarget> test)
    {
        var node = CompareRenderer.ToJson(law, new LawScore(s.Fit, s.Test, s.Predictions, s.Summary, s.RankTau), test);
        node["variant"] = s.Variant;
        if (s.Fit.Law is SizedLaw sized)
        {
            node["largeModelOffset"] = Json.Number(sized.LargeModelOffset(s.Fit.Parameters));
            node["offsetExponent"] = Json.Number(sized.OffsetExponent(s.Fit.Parameters));
        }
        node["inSample"] = new JsonArray([.. s.InSample.Select(x => (JsonNode)new JsonObject
        {
            ["size"] = Format.G(x.ModelSize / 1e6) + "M",
            ["predE"] = Json.Number(x.Summary.PredE),
            ["worstE"] = Json.Number(x.Summary.WorstE),
            ["r2"] = Json.Number(x.Summary.RSquared),
        })]);
        node["fitSeconds"] = Math.Round(s.Seconds, 2);
        return node;
    }

    /// <inheritdoc/>
    public void WriteTable(CliIo io, CrossSizeScoreboard scoreboard)
    {
        var result = scoreboard.Result;
        var headline = Headline(scoreboard);
        var console = io.Table();
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"Protocol 2: fit on the 9 curves of 25M and of 100M; predict the 9 curves of 400M (headline size law: {headline.Name})"))
            .AddColumn("law").AddColumn("size law");
        foreach (var h in new[] { "PredE", "WorstE", "MaxE", "R^2", "MAE", "RMSE", "Kendall tau", "in-sample PredE 25M / 100M" }) table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var l in result.Laws)
            foreach (var s in l.Variants.Append(l.Baseline))
            {
                var m = s.Summary;
                table.AddRow(Markup.Escape(l.Law), Markup.Escape(s == l.Headline ? s.Variant + " *" : s.Variant), Format.Percent(m.PredE), Format.Percent(m.WorstE), Format.Percent(m.MaxE),
                    m.RSquared.ToString("F4", CultureInfo.InvariantCulture), Format.G(m.Mae, 3), Format.G(m.Rmse, 3),
                    s.RankTau.ToString("F3", CultureInfo.InvariantCulture), string.Join(" / ", s.InSample.Select(x => Format.Percent(x.Summary.PredE))));
            }
        console.Write(table);
        if (scoreboard.Pooled is { } p)
            console.MarkupLine(Markup.Escape($"beta pooled over sources: {p.Pooled.Beta.ToString("F4", CultureInfo.InvariantCulture)} (objective {Format.G(p.Pooled.Objective, 4)}); alone: {string.Join("; ", p.Alone.Select(a => $"{a.Source} {(a.Flat ? "flat" : a.Beta.ToString("F4", CultureInfo.InvariantCulture))}"))}."));
        console.MarkupLine(Markup.Escape($"* headline. L0(N) = E + b (N/Nref)^-beta, beta fixed ({(scoreboard.SizeExponent is { } b ? Format.G(b) + (scoreboard.Pooled is null ? ": given" : ": pooled fit") : "0.34: Chinchilla")}); 'power': every other positive parameter p_ref (N/Nref)^e_p; 'shared': one shape for all sizes; '100M only': the law fitted on 100M alone, no size law. Nref = {Format.G(ReferenceSize(result))}."));
    }
}
