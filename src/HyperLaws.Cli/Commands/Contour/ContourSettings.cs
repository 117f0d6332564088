using HyperLaws.Divergence;
using HyperLaws.Fitting;

namespace HyperLaws.Cli.Commands.Contour;

/// <summary>The settings of <c>hyperlaws contour</c>, each parsed once.</summary>
/// <param name="LawPath">LAW.json as given.</param>
/// <param name="Law">LAW.json, read and validated.</param>
/// <param name="Budgets">The budgets as (label, steps).</param>
/// <param name="Family">Schedule family of every grid point.</param>
/// <param name="Cooldown">wsd cooldown as a fraction of the run.</param>
/// <param name="Floor">Final LR as a fraction of the peak.</param>
/// <param name="Runs">The law's training runs, or null: the files LAW.json names.</param>
/// <param name="Peaks">The peak LR axis, or null: the training runs' peaks /4 to x4.</param>
/// <param name="WarmupFractions">The warmup axis as fractions of the run.</param>
/// <param name="OutDir">Folder for the figures and contour_optima.csv.</param>
/// <param name="ModelSize">The model size for a law fitted across sizes; NaN otherwise.</param>
/// <param name="Screen">The divergence screen, or null.</param>
/// <param name="Json">Print one JSON object instead of the file list.</param>
/// <param name="Quiet">No progress or notes.</param>
internal sealed record ContourSettings(
    string LawPath, FittedLawDocument Law, IReadOnlyList<(string Label, int Steps)> Budgets, string Family, double Cooldown, double Floor,
    string[]? Runs, List<double>? Peaks, List<double> WarmupFractions, string OutDir, double ModelSize, DivergenceScreen? Screen, bool Json, bool Quiet)
{
    /// <summary>Progress and notes on stderr.</summary>
    public bool Chatty => !Json && !Quiet;
}
