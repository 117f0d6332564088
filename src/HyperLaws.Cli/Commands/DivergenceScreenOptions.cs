using System.CommandLine;
using HyperLaws.Cli.Options;
using HyperLaws.Divergence;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>--divergence DIV.json --batch B</c> for the commands that screen candidate schedules (rank, contour):
/// the model from 'hyperlaws diverge --fit', applied at the model size of <c>--params</c> and B tokens per step.
/// </summary>
internal sealed class DivergenceScreenOptions
{
    public Option<string> Model { get; } = new("--divergence") { Description = "A divergence model (DIV.json from 'hyperlaws diverge --fit'): candidates it predicts to diverge are marked and ranked last; needs --params and --batch.", HelpName = "DIV.json" };

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

    /// <summary>The divergence model at <paramref name="path"/> (DIV.json); a bad or unreadable file is one line naming it.</summary>
    public static DivergenceModel Load(string path)
    {
        try
        {
            return DivergenceModelDocument.Parse(DocumentFile.ReadAllText(path));
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{path}: {e.Message}");
        }
    }
}
