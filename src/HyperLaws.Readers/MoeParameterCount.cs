namespace HyperLaws.Readers;

/// <summary>Which parameter count a MoE sweep table's N is: the activated parameters per token or all of them.</summary>
public enum MoeParameterCount
{
    /// <summary>Activated parameters per token (Step Law's <c>Na</c>).</summary>
    Active,

    /// <summary>All parameters, every expert counted (Step Law's <c>N</c>).</summary>
    Total,
}
