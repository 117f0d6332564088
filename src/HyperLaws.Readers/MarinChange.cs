namespace HyperLaws.Readers;

/// <summary>The hyperparameter a row of Marin's ablation tables changes alone from its table's baseline (<see cref="MarinSweepReader.ReadSingleChanges"/>).</summary>
public enum MarinChange
{
    /// <summary>The linear warmup's steps (<c>$\mathrm{warmup}$</c>).</summary>
    Warmup,

    /// <summary>The final LR as a fraction of the peak (<c>$\eta_{min}$</c>: the cosine decay's floor).</summary>
    MinLr,

    /// <summary>The batch in sequences (<c>$\mathrm{BSZ}$</c>) at the table's N and D: the steps change with it.</summary>
    Batch,
}
