namespace HyperLaws.Validation;

/// <summary>Protocol 14 (docs/VALIDATION.md): public runs from outside shared/data.</summary>
/// <param name="Sets">The data sets, in manifest order.</param>
/// <param name="FirstHalf">14a: every run and law, fitted on the first half of its validation curve, predicting its final loss.</param>
/// <param name="Summaries">14a per law (the baseline last): set means, the mean of set means, wins.</param>
/// <param name="Horizon">14b: each law fitted on the shorter run of the sweep, predicting the longer run's final loss (empty when the manifest has no such pair).</param>
public sealed record CrossDataResult(IReadOnlyList<string> Sets, IReadOnlyList<CrossDataPrediction> FirstHalf, IReadOnlyList<CrossDataLawSummary> Summaries, IReadOnlyList<CrossDataPrediction> Horizon);
