using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands.Compare;

/// <summary>The settings of <c>hyperlaws compare</c>.</summary>
/// <param name="Train">Runs to fit on (files or folders).</param>
/// <param name="Test">Runs to predict (files or folders).</param>
/// <param name="Laws">The laws to compare (known names, lower case, distinct).</param>
/// <param name="PlotDir">Folder for one figure per test run, or null.</param>
/// <param name="Json">Print one JSON object instead of the table.</param>
/// <param name="Quiet">No progress or notes.</param>
/// <param name="Split">The losses fitted and scored (<c>--validation</c>: the validation losses).</param>
internal sealed record CompareSettings(IReadOnlyList<string> Train, IReadOnlyList<string> Test, IReadOnlyList<string> Laws, string? PlotDir, bool Json, bool Quiet,
    LossSplit Split = LossSplit.Train);
