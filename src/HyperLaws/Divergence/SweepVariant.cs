namespace HyperLaws.Divergence;

/// <summary>The predictors scored by the within-sweep protocols 4-D2 and 4-D3 (docs/VALIDATION.md).</summary>
public enum SweepVariant
{
    /// <summary>The prior alone: the rule fitted on the other cells (the leave-one-cell-out verdict).</summary>
    Prior,

    /// <summary>4-D2 (ii): each run held out; the cell offset fitted on the cell's other runs, no row term.</summary>
    RunOutCell,

    /// <summary>4-D2 (iii): each run held out; cell and batch-row offsets fitted on the cell's other runs.</summary>
    RunOutCellRow,

    /// <summary>4-D3 (ii): each batch row held out; the cell offset fitted alone on the cell's other rows.</summary>
    RowOutCell,

    /// <summary>4-D3 (iii): each batch row held out; the cell offset of the cell + row fit on the cell's other rows.</summary>
    RowOutCellRow,
}
