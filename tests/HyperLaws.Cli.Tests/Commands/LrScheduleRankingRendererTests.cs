using System.Text.Json.Nodes;
using HyperLaws.Cli.Commands.Validate;
using HyperLaws.Validation;
using Xunit;

namespace HyperLaws.Cli.Tests.Commands;

/// <summary>Protocol 17r's JSON (<see cref="LrScheduleRankingRenderer"/>): each run's plain and anchored member predictions and the ensembles' positions.</summary>
public sealed class LrScheduleRankingRendererTests
{
    [Fact]
    public void Each_run_carries_its_anchored_predictions_and_ensemble_a_s_position()
    {
        string[] runs = ["cos", "wsd"];
        var members = LrScheduleRanking.Members;
        // Ranker k's key for run i: 10 k + i (a member's plain prediction), 100 + 10 k + i for its anchored one ("-a").
        var byRanker = LrScheduleRanking.Rankers.Select((k, j) => (k, j)).ToDictionary(x => x.k,
            x => new RankingGroup("set S=1", [.. runs.Select((n, i) => new RankedCandidate(n, 3 + i, 10.0 * x.j + i))]), StringComparer.Ordinal);
        var predicted = members.Select((m, l) => (IReadOnlyList<double>)[.. runs.Select((_, i) => byRanker[m].Candidates[i].Predicted)]).ToList();
        var group = new RankCheckGroup("set S=1", 0.5, runs, [3, 4], predicted, byRanker);
        var result = new LrScheduleRankingResult([0.5], LrScheduleRanking.Rankers, [group], [], [], TimeSpan.Zero);
        var json = LrScheduleRankingRenderer.Instance.ToJson(new LrScheduleRankingScoreboard(result));
        var run = json["groups"]![0]!["runs"]![1]!;
        foreach (string m in members)
        {
            Assert.Equal(byRanker[m].Candidates[1].Predicted, run["predicted"]![m]!.GetValue<double>());
            Assert.Equal(byRanker[m + ScheduleGrid.AnchoredSuffix].Candidates[1].Predicted, run["anchoredPredicted"]![m]!.GetValue<double>());
        }
        Assert.Equal(byRanker[EnsembleGrid.Anchored].Candidates[1].Predicted, run["ensembleAnchoredPosition"]!.GetValue<double>());
        Assert.Equal(byRanker[EnsembleGrid.Primary].Candidates[1].Predicted, run["ensemblePosition"]!.GetValue<double>());
        Assert.Equal(byRanker[EnsembleGrid.Axes].Candidates[1].Predicted, run["ensembleAxesPosition"]!.GetValue<double>());
    }
}
