namespace HyperLaws.SizeLaws;

/// <summary>Options of <see cref="ChinchillaFitter"/>.</summary>
/// <param name="Delta">Huber threshold on the log-residual (Hoffmann et al. 2022 and Besiroglu et al. 2024: 1e-3).</param>
/// <param name="Grid">Start grid; default <see cref="ChinchillaGrid.Coarse"/>.</param>
/// <param name="MaxIterations">BFGS iterations per start.</param>
/// <param name="FixedAlpha">
/// alpha, the model-size exponent, held at this value (a prior) while E, A, B and beta are fitted; null (the default): fitted.
/// </param>
public sealed record ChinchillaFitOptions(double Delta = 1e-3, ChinchillaGrid? Grid = null, int MaxIterations = 400, double? FixedAlpha = null);
