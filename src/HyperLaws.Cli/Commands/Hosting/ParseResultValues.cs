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
}
