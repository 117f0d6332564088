using System.CommandLine;
using System.CommandLine.Parsing;

namespace HyperLaws.Cli.Options;

/// <summary>Factories for options whose values need checking as they are parsed.</summary>
public static class CliOptions
{
    /// <summary>A number option accepting suffixes (see <see cref="Quantity"/>); finite values only.</summary>
    public static Option<double?> Number(string name, string description, string helpName = "X") => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = ParseNumber,
    };

    /// <summary>
    /// A number option (suffixes allowed) that must lie in [<paramref name="min"/>, <paramref name="max"/>];
    /// a value outside is a parse error naming the option and the range (exit 2 before the command runs).
    /// </summary>
    public static Option<double?> Number(string name, string description, string helpName, double min, double max) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            double? v = ParseNumber(result);
            if (v is { } x && (x < min || x > max))
            {
                string range = double.IsNegativeInfinity(min) ? $"above {Show(max)}" : double.IsPositiveInfinity(max) ? $"below {Show(min)}" : $"outside [{Show(min)}, {Show(max)}]";
                result.AddError($"{name}: '{Output.ErrorText.Echo(result.Tokens[0].Value)}' is {range}.");
                return null;
            }
            return v;
        },
    };

    /// <summary>
    /// A number option (suffixes allowed) that must be positive and at most <paramref name="max"/>: zero,
    /// a negative value or one above the bound is a parse error naming the option.
    /// </summary>
    public static Option<double?> Positive(string name, string description, string helpName, double max) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            double? v = ParseNumber(result);
            if (v is { } x && !(x > 0 && x <= max))
            {
                result.AddError(x > max ? $"{name}: '{Output.ErrorText.Echo(result.Tokens[0].Value)}' is above {Show(max)}." : $"{name}: '{Output.ErrorText.Echo(result.Tokens[0].Value)}' is not positive.");
                return null;
            }
            return v;
        },
    };

    /// <summary>
    /// A whole-number option (suffixes allowed: 24k) in [<paramref name="min"/>, <paramref name="max"/>]; a fraction,
    /// a value outside the range or text is a parse error naming the option (never a .NET type name).
    /// </summary>
    public static Option<int?> Count(string name, string description, string helpName, int min, int max) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            double? v = ParseNumber(result);
            if (v is not { } x) return null;
            string token = Output.ErrorText.Echo(result.Tokens[0].Value);
            if (x != Math.Floor(x))
            {
                result.AddError($"{name}: '{token}' is not a whole number.");
                return null;
            }
            if (x < min || x > max)
            {
                result.AddError($"{name}: '{token}' is outside [{min}, {max}].");
                return null;
            }
            return (int)x;
        },
    };

    /// <summary>
    /// A text option whose value must be one of <paramref name="choices"/> (case-sensitive, as typed in help);
    /// anything else is a parse error naming the option and listing the choices.
    /// </summary>
    public static Option<string> Choice(string name, string description, IReadOnlyList<string> choices, string? defaultValue = null)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            HelpName = string.Join('|', choices),
        };
        if (defaultValue is not null) option.DefaultValueFactory = _ => defaultValue;
        option.AcceptOnlyFromAmong([.. choices]);
        return option;
    }

    private static string Show(double x) => x.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    public static Option<bool> Json() => Flag("--json", "Print one JSON object on stdout (nothing else).");

    public static Option<bool> Quiet() => Flag("--quiet", "Print only the result: no progress or notes.");

    /// <summary>--law LAW.json: a fitted law from 'hyperlaws fit' (required).</summary>
    public static Option<string> LawFile() => new("--law") { Description = "A fitted law (LAW.json from 'hyperlaws fit').", Required = true, HelpName = "LAW.json" };

    /// <summary>Largest model size in parameters accepted anywhere (--params): 1e16, far above any model trained.</summary>
    public const double MaxModelSize = 1e16;

    /// <summary>Largest token count accepted as tokens per optimizer step (--batch, --tokens-per-step): 1e12.</summary>
    public const double MaxTokensPerStep = 1e12;

    /// <summary>--params N: the model size, positive and at most <see cref="MaxModelSize"/>, parsed once (whether the command needs it is the command's check).</summary>
    public static Option<double?> ModelSize(string description = "Model size in parameters (e.g. 400M) for a law fitted with 'fit --across-sizes'.") =>
        Positive("--params", description, "N", MaxModelSize);

    /// <summary>Tokens per optimizer step (suffixes allowed: 1M, 512k): positive, at most <see cref="MaxTokensPerStep"/>.</summary>
    public static Option<double?> TokensPerStep(string name, string description, string helpName = "B") => Positive(name, description, helpName, MaxTokensPerStep);

    /// <summary>A value that must be given together with <paramref name="requiredWith"/> (its range was checked by its parser).</summary>
    public static double RequiredWith(double? value, string option, string what, string requiredWith) =>
        value ?? throw new UserInputException($"{option} is required with {requiredWith} ({what}).");

    /// <summary>A positive quantity (suffixes allowed) that must be given together with <paramref name="requiredWith"/>; one-line errors otherwise.</summary>
    public static double RequiredPositive(string? text, string option, string what, string requiredWith)
    {
        if (text is null) throw new UserInputException($"{option} is required with {requiredWith} ({what}).");
        if (!Quantity.TryParse(text, out double v) || !(v > 0) || !double.IsFinite(v))
            throw new UserInputException($"{option}: '{Output.ErrorText.Echo(text)}' is not {what}.");
        return v;
    }

    private static double? ParseNumber(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        string option = result.Parent is OptionResult o ? o.Option.Name : "value";
        if (!Quantity.TryParse(text, out double v))
        {
            result.AddError($"{option}: '{Output.ErrorText.Echo(text)}' is not a number (examples: 1e10, 2.5e9, 10B, 300M).");
            return null;
        }
        if (!double.IsFinite(v))
        {
            result.AddError($"{option}: '{Output.ErrorText.Echo(text)}' is not finite.");
            return null;
        }
        return v;
    }
}
