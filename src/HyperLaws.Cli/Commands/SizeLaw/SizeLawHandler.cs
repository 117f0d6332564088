using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.SizeLaw;

/// <summary>Fits the Chinchilla law on the shipped runs: settings -> <see cref="ChinchillaFitValidation"/> -> result. Progress goes to stderr only.</summary>
internal static class SizeLawHandler
{
    public static ChinchillaFitResult Run(SizeLawSettings settings, Action<string>? progress)
    {
        string dir = settings.Data!;
        if (!Directory.Exists(dir)) throw new UserInputException($"--data: folder '{dir}' not found.");
        try
        {
            return UserInputException.Guard(() => ChinchillaFitValidation.Run(dir, settings.FullGrid, settings.Resamples, settings.Seed, settings.TrainFraction, progress, settings.Exclude));
        }
        catch (ValidationDataException e)
        {
            throw new UserInputException(e.Message);
        }
    }
}
