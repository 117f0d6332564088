using System.CommandLine;

namespace HyperLaws.Cli.Commands.Hosting;

/// <summary>Typed reads of option values for the settings binders.</summary>
internal static class ParseResultValues
{
    /// <summary>The value of a required option (the parser has already refused a missing one).</summary>
    public static T Required<T>(this ParseResult parse, Option<T?> option) where T : struct =>
        parse.GetValue(option) ?? throw new UserInputException($"{option.Name} is required.");

    /// <summary>The value of a required reference-typed option (the parser has already refused a missing one).</summary>
    public static T Required<T>(this ParseResult parse, Option<T> option) where T : class =>
        parse.GetValue(option) ?? throw new UserInputException($"{option.Name} is required.");

    /// <summary>
    /// The value of an option the user gave, or null when it is not on the command line (for list-typed options,
    /// whose unset value System.CommandLine reports as an empty collection rather than null).
    /// </summary>
    public static T? Given<T>(this ParseResult parse, Option<T?> option) where T : class =>
        parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option) : null;
}
