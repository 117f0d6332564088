
namespace HyperLaws.Laws;

/// <summary>
/// How a law is made to depend on the model size N (<see cref="SizedLaw"/>).
/// </summary>
/// <param name="ReferenceSize">N_ref, the size at which the parameters are the base law's own (in parameters, &gt; 0).</param>
/// <param name="Scaling">How the parameters other than the offset depend on N.</param>
/// <param name="OffsetExponent">
/// beta of the offset's power law, fixed; null fits it (as the parameter "{offset}_exponent", which
/// needs curves of at least three sizes). Hoffmann et al. 2022 (Chinchilla, approach 3) fit 0.34.
/// </param>
public sealed record SizeLawSpec(double ReferenceSize, SizeScaling Scaling = SizeScaling.PowerLaw, double? OffsetExponent = SizeLawSpec.ChinchillaExponent)
{
    /// <summary>The model-size exponent of Chinchilla's L = E + A N^(-alpha) + B D^(-beta): alpha = 0.34 (Hoffmann et al. 2022, approach 3).</summary>
    public const double ChinchillaExponent = 0.34;

    /// <summary>
    /// The planner's offset exponent for a law across sizes: 0.203, the joint law's beta fitted from six sizes (33M-152M) of the
    /// lr-scheduling SlimPajama runs (docs/VALIDATION.md, protocol 17c), which scored protocol 2 (another source: MPL runs, 25M + 100M
    /// to 400M) better than Chinchilla's 0.34 for the joint law and for every default plan law's "shared" size law, the declared rule
    /// that made it the planner's ("(b) Protocol 2 with beta = 0.203").
    /// </summary>
    public const double PlannerExponent = 0.203;

    /// <summary>Throws <see cref="ArgumentException"/> for a size or exponent that is not finite and positive.</summary>
    public void Validate()
    {
        if (!(ReferenceSize > 0) || !double.IsFinite(ReferenceSize)) throw new ArgumentException($"the reference model size must be a positive number, not {ReferenceSize}.");
        if (OffsetExponent is { } b && (!(b > 0) || !double.IsFinite(b))) throw new ArgumentException($"the offset's size exponent must be a positive number, not {b}.");
        if (!Enum.IsDefined(Scaling)) throw new ArgumentException($"unknown size scaling {Scaling}.");
    }

    /// <summary>
    /// The geometric mean of the distinct model sizes of the targets, to three significant digits: a
    /// reference inside the fitted range (the fit itself does not depend on it).
    /// </summary>
    public static double CentreOf(IEnumerable<FitTarget> targets)
    {
        var sizes = targets.Select(t => t.ModelSize).Where(n => n > 0 && double.IsFinite(n)).Distinct().ToArray();
        if (sizes.Length == 0) throw new ArgumentException("no curve has a model size.");
        double centre = Math.Exp(sizes.Average(Math.Log));
        return Numerics.Significant.Round(centre);
    }
}
