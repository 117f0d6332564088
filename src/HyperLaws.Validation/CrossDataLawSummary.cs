namespace HyperLaws.Validation;

/// <summary>One law's protocol-14a scores across the data sets.</summary>
/// <param name="Law">The law, or <c>last</c> (the baseline).</param>
/// <param name="SetMeans">Per data set, the mean relative error over its runs with a finite prediction (NaN when none).</param>
/// <param name="MeanOfSets">The mean of the finite set means (sets weighted equally).</param>
/// <param name="Wins">Data sets where this law has the lowest set mean among the laws (the baseline is not counted).</param>
/// <param name="Failures">Runs without a finite prediction.</param>
/// <param name="Median">The median relative error over the runs with a finite prediction (NaN when none).</param>
/// <param name="WithPriors">Runs whose fit held a term at its prior (protocol 14c).</param>
/// <param name="NonPhysical">Runs predicted a loss &lt;= 0.</param>
/// <param name="Held">Runs whose prediction is the recent level of a stalled curve (<c>StallCheck</c>) instead of the law's own.</param>
public sealed record CrossDataLawSummary(string Law, IReadOnlyDictionary<string, double> SetMeans, double MeanOfSets, int Wins, int Failures, double Median = double.NaN, int WithPriors = 0, int NonPhysical = 0, int Held = 0);
