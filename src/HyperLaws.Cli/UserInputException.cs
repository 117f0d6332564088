using HyperLaws.Cli.Options;
using HyperLaws.Theory;

namespace HyperLaws.Cli;

/// <summary>Bad input from the user: reported as one line on stderr with exit code 2.</summary>
public sealed class UserInputException(string message) : Exception(message)
{
    /// <summary>
    /// Runs a core call whose <see cref="ArgumentException"/>s describe the user's input (the core's
    /// validation messages are written for people) and reports them as bad input; a quantity a regime needs and
    /// was not given (<see cref="MissingQuantityException"/>) is named by the option that sets it.
    /// </summary>
    public static T Guard<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (MissingQuantityException e)
        {
            throw new UserInputException(ScalingQuantityOptions.Message(e));
        }
        catch (ArgumentException e) when (e is not ArgumentNullException)
        {
            throw new UserInputException(e.Message);
        }
    }
}
