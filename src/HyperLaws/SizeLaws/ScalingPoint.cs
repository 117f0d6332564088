namespace HyperLaws.SizeLaws;

/// <summary>One training run for a size law: parameters N, training tokens D and final loss.</summary>
public sealed record ScalingPoint(double N, double D, double Loss)
{
    /// <summary>Training compute C = 6 N D (Kaplan et al. 2020; Hoffmann et al. 2022).</summary>
    public double Flops => 6 * N * D;
}
