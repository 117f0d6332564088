namespace HyperLaws.Validation;

/// <summary>Protocol 3 with one choice of options: the runs used and every law's result.</summary>
public sealed record GridResult(
    GridOptions Options, IReadOnlyList<GridRun> Train, IReadOnlyList<GridRun> HeldOut, IReadOnlyList<ExcludedRun> Excluded,
    IReadOnlyList<LawGridResult> Laws);
