namespace HyperLaws.Laws.Joint;

/// <summary>One run of a multi-LR sweep cell: its peak LR, batch (tokens per step) and final loss.</summary>
public sealed record LrAxisPoint(double Lr, double BatchTokens, double Loss);
