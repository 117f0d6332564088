using HyperLaws.Runs;

namespace HyperLaws.Optimum;

/// <summary>Mean and max of the gaps of one rule over the cells.</summary>
public sealed record GapSummary(string Rule, double Mean, double Max, int Cells, int BestRunHits);
