namespace HyperLaws.SizeLaws;

/// <summary>Options of <see cref="ChinchillaFitter"/>.</summary>
/// <param name="Delta">Huber threshold on the log-residual (Hoffmann et al. 2022 and Besiroglu et al. 2024: 1e-3).</param>
/// <param name="Grid">Start grid; default <see cref="ChinchillaGrid.Coarse"/>.</param>
/// <param name="MaxIterations">BFGS iterations per start.</param>
public sealed record ChinchillaFitOptions(double Delta = 1e-3, ChinchillaGrid? Grid = null, int MaxIterations = 400);
