namespace HyperLaws.Divergence;

/// <summary>Result of a leave-one-group-out cross-validation.</summary>
public sealed record DivergenceCrossValidation(DivergenceScores Pooled, IReadOnlyList<(string Group, DivergenceScores Scores)> Folds)
{
    /// <summary>Each scored fold's model (left-out group -> the model fitted on the other groups): the priors of the within-sweep protocols.</summary>
    public IReadOnlyDictionary<string, DivergenceModel> Models { get; init; } = new Dictionary<string, DivergenceModel>();
}
