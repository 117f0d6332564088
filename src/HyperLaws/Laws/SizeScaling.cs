
namespace HyperLaws.Laws;

/// <summary>How the parameters of a law other than its offset depend on the model size N.</summary>
public enum SizeScaling
{
    /// <summary>One value for every size (the curve's shape does not change with N).</summary>
    Shared,

    /// <summary>Every positive parameter a power law p(N) = p_ref (N/N_ref)^e_p with its own exponent; signed ones shared.</summary>
    PowerLaw,
}
