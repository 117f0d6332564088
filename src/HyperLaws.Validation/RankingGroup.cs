namespace HyperLaws.Validation;

/// <summary>Runs that share everything but what is being chosen (e.g. the schedule at one horizon and LR).</summary>
public sealed record RankingGroup(string Key, IReadOnlyList<RankedCandidate> Candidates)
{
    /// <summary>The run with the lowest actual loss (ties: the first by name).</summary>
    public RankedCandidate ActualBest => ScheduleRanking.ByActual(Candidates)[0];

    /// <summary>The run with the lowest predicted loss (ties: the first by name).</summary>
    public RankedCandidate PredictedBest => ScheduleRanking.ByPredicted(Candidates)[0];

    /// <summary>1-based position of the actually best run in the predicted order.</summary>
    public int PredictedRankOfBest => ScheduleRanking.ByPredicted(Candidates).ToList().IndexOf(ActualBest) + 1;

    /// <summary>True when the actually best run is among the k best predicted.</summary>
    public bool Hit(int k) => PredictedRankOfBest <= k;
}
