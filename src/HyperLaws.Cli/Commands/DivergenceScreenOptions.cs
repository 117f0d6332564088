using System.CommandLine;
using HyperLaws.Cli.Options;
using HyperLaws.Divergence;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>--divergence DIV.json --batch B</c> for the commands that screen candidate schedules (rank, contour):
/// the model from 'hyperlaws diverge --fit', applied at the model size of <c>--params</c> and B tokens per step.
/// </summary>
/// <param name="effect">What the command does with what the model predicts to diverge (its help text).</param>
internal sealed class DivergenceScreenOptions(string effect)
{
    public Option<string> Model { get; } = new("--divergence") { Description = $"A divergence model (DIV.json from 'hyperlaws diverge --fit'): {effect}; needs --params and --batch.", HelpName = "DIV.json" };

    public Option<double?> Batch { get; } = CliOptions.TokensPerStep("--batch", "Tokens per optimizer step, for the divergence screen (e.g. 1M).");

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Batch);
    }

    /// <summary>The screen, or null without --divergence; one-line errors for a bad file or a missing size or batch.</summary>
    public DivergenceScreen? Create(ParseResult r, double? modelSize)
    {
        if (r.GetValue(Model) is not { } path)
        {
            if (r.GetValue(Batch) is not null) throw new UserInputException("--batch: only used with --divergence DIV.json.");
            return null;
        }
        var model = Load(path);
        double n = CliOptions.RequiredWith(modelSize, "--params", "a model size in parameters, e.g. 124M", "--divergence");
        double b = CliOptions.RequiredWith(r.GetValue(Batch), "--batch", "tokens per optimizer step, e.g. 1M", "--divergence");
        return new DivergenceScreen(model, n, b);
    }

    /// <summary>The optimizer the shipped divergence prior (<see cref="Plan.PlanCommand.DefaultDivergence"/>) was fitted on: the Step Law runs are AdamW's.</summary>
    public const Planning.TrainingOptimizer ShippedPriorOptimizer = Planning.TrainingOptimizer.AdamW;

    /// <summary>True when <paramref name="path"/> is the shipped divergence prior (the same file, or a copy of it).</summary>
    public static bool IsShippedPrior(string path)
    {
        string shipped = ShippedData.Resolve(Plan.PlanCommand.DefaultDivergence);
        if (!File.Exists(shipped) || !File.Exists(path)) return false;
        if (string.Equals(Path.GetFullPath(path), Path.GetFullPath(shipped), StringComparison.Ordinal)) return true;
        try
        {
            return File.ReadAllText(path) == File.ReadAllText(shipped);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// The one-line refusal for a divergence verdict of the shipped prior (fitted on AdamW runs) on a run of another optimizer, or null
    /// when it applies (an AdamW target, or a model that is not the shipped prior: the user's, applied as given).
    /// </summary>
    public static string? NoPriorFor(Planning.TrainingOptimizer optimizer, string modelPath) =>
        optimizer != ShippedPriorOptimizer && IsShippedPrior(modelPath)
            ? $"--optimizer {Planning.TrainingOptimizers.Name(optimizer)}: no divergence prior exists for {Planning.TrainingOptimizers.Name(optimizer)}: {Path.GetFileName(modelPath)} was fitted on the Step Law runs (AdamW), whose boundary says nothing about {Planning.TrainingOptimizers.Name(optimizer)}; give --model a model fitted on {Planning.TrainingOptimizers.Name(optimizer)} runs ('hyperlaws diverge --fit'), or plan with --runs (the guard is then their highest trained and lowest diverged peaks)."
            : null;

    /// <summary>The divergence model at <paramref name="path"/> (DIV.json); a bad or unreadable file is one line naming it.</summary>
    public static DivergenceModel Load(string path)
    {
        try
        {
            return DivergenceModelDocument.Parse(DocumentFile.ReadAllText(path));
        }
        catch (RetiredDivergenceModelException e)
        {
            throw new UserInputException($"{path}: {e.Reason}; refit it with 'hyperlaws diverge --fit --runs ... --out DIV.json'.");
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{path}: {e.Message}");
        }
    }
}
