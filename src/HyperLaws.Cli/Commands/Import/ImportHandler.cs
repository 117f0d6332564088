using HyperLaws.Readers;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands.Import;

/// <summary>Reads the log: settings -> <see cref="RunReader"/> -> the run; no console I/O.</summary>
internal static class ImportHandler
{
    public static TrainingRun Run(ImportSettings settings)
    {
        try
        {
            return RunReader.Read(settings.File, settings.Read);
        }
        catch (FormatException e)
        {
            throw new UserInputException(e.Message);
        }
    }
}
