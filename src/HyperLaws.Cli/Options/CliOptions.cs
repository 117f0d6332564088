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
            string token = Output.ErrorText.Echo(result.Tokens.Count > 0 ? result.Tokens[0].Value : "");
            if (!Quantity.TryParse(result.Tokens.Count > 0 ? result.Tokens[0].Value : "", out double x) || !double.IsFinite(x))
            {
                result.AddError($"{name}: '{token}' is not a whole number (e.g. 10, 24k).");
                return null;
            }
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
        AcceptOnly(option, choices);
        return option;
    }

    /// <summary>
    /// Tab completion for a free-text option whose help lists its values (<c>--anchor steplaw or deepseek</c>, <c>--laws</c>'s comma
    /// list): each of <paramref name="values"/> that starts with the word typed (any case). The command still parses the text itself
    /// (its own messages, its own accepted spellings: <c>val</c> or <c>validation</c>); this adds no check. With <paramref name="list"/>,
    /// a comma list: the word's last item is completed, after the items already typed, which are not offered again.
    /// </summary>
    public static TOption Completes<TOption>(TOption option, IEnumerable<string> values, bool list = false) where TOption : Option
    {
        ArgumentNullException.ThrowIfNull(option);
        string[] all = [.. values];
        option.CompletionSources.Add(context =>
        {
            string word = context.WordToComplete ?? "";
            int comma = list ? word.LastIndexOf(',') : -1;
            string head = word[..(comma + 1)], last = word[(comma + 1)..];
            var typed = head.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return all.Where(v => !typed.Contains(v, StringComparer.OrdinalIgnoreCase) && v.StartsWith(last, StringComparison.OrdinalIgnoreCase))
                .Select(v => new System.CommandLine.Completions.CompletionItem(head + v));
        });
        return option;
    }

    /// <summary>
    /// Restricts a text option to <paramref name="choices"/>, checking every token it took. System.CommandLine's own
    /// <c>AcceptOnlyFromAmong</c> skips a token that names another option, so <c>--regime --json</c> passed with the value
    /// "--json": the regime read as the enum's first member (lr-only, exit 0) and --json dropped; <c>--bootstrap-scheme
    /// --quiet</c> ended in an internal error (exit 70). The choices are also the option's completions (as
    /// <c>AcceptOnlyFromAmong</c> gave them).
    /// </summary>
    public static void AcceptOnly(Option<string> option, IReadOnlyList<string> choices)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.CompletionSources.Add([.. choices]);
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (choices.Contains(token.Value, StringComparer.Ordinal)) continue;
                result.AddError($"{option.Name}: Argument '{Output.ErrorText.Echo(token.Value)}' not recognized. Must be one of: {string.Join(' ', choices.Select(c => $"'{c}'"))}");
                return;
            }
        });
    }

    /// <summary>
    /// An option whose text is parsed once, at parse time, by <paramref name="parse"/> (the command's own parser for a
    /// list, an axis or a spec): a <see cref="UserInputException"/>, <see cref="FormatException"/> or
    /// <see cref="ArgumentException"/> it throws becomes the parse error, naming the option, before the command runs.
    /// </summary>
    public static Option<T?> Parsed<T>(string name, string description, string helpName, Func<string, T> parse) where T : class => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result => Run(result, name, parse),
        // Not given means null (System.CommandLine would otherwise make an empty collection for a list type).
        DefaultValueFactory = _ => null,
    };

    /// <summary><see cref="Parsed{T}"/> for a value type (a parsed count, a fraction).</summary>
    public static Option<T?> ParsedValue<T>(string name, string description, string helpName, Func<string, T> parse) where T : struct => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result => Run(result, name, text => (T?)parse(text)),
    };

    private static T? Run<T>(ArgumentResult result, string name, Func<string, T> parse)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        try
        {
            return parse(text);
        }
        catch (Exception e) when (e is UserInputException or FormatException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            string message = Output.ErrorText.OneLine(e.Message);
            result.AddError(message.StartsWith(name, StringComparison.Ordinal) ? message : $"{name}: {message}");
            return default;
        }
    }

    /// <summary>
    /// A comma list of numbers (suffixes allowed), each satisfying <paramref name="ok"/>; an item that is not a number or
    /// not <paramref name="what"/>, or an empty list, is a one-line error naming <paramref name="option"/>.
    /// </summary>
    public static List<double> Numbers(string option, string text, Func<double, bool> ok, string what)
    {
        var list = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Quantity.TryParse(part, out double v) || !double.IsFinite(v) || !ok(v)) throw new UserInputException($"{option}: '{Output.ErrorText.Echo(part)}' is not {what}.");
            list.Add(v);
        }
        if (list.Count == 0) throw new UserInputException($"{option}: no values given.");
        return list;
    }

    /// <summary>A comma list of numbers parsed once at parse time (see <see cref="Numbers"/>).</summary>
    public static Option<List<double>?> NumberList(string name, string description, string helpName, Func<double, bool> ok, string what) =>
        Parsed(name, description, helpName, text => Numbers(name, text, ok, what));

    /// <summary>One number parsed once at parse time, satisfying <paramref name="ok"/> (<paramref name="what"/> names the range in the error).</summary>
    public static Option<double?> Checked(string name, string description, string helpName, Func<double, bool> ok, string what) =>
        ParsedValue(name, description, helpName, text => Numbers(name, text, ok, what) is [var v] ? v : throw new UserInputException($"{name}: '{Output.ErrorText.Echo(text)}' is one number, not a list."));

    /// <summary>
    /// Input files or folders (runs, tables): each must exist when the command line is parsed, so a typo is one line
    /// naming the option and the path, whatever else the command line holds.
    /// </summary>
    public static Option<string[]> InputPaths(string name, string description, string helpName = "FILE") => new(name)
    {
        Description = description,
        HelpName = helpName,
        AllowMultipleArgumentsPerToken = true,
        CustomParser = result =>
        {
            var paths = result.Tokens.Select(t => t.Value).ToArray();
            foreach (string path in paths)
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    result.AddError($"{name}: '{Output.ErrorText.Echo(path)}': no such file or folder.");
                    return [];
                }
            return paths;
        },
    };

    /// <summary>An input folder (e.g. --data) that must exist when given; its default is not checked until used.</summary>
    public static Option<string> InputFolder(string name, string description, string defaultValue, string helpName = "DIR") => new(name)
    {
        Description = description,
        HelpName = helpName,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return defaultValue;
            string path = result.Tokens[0].Value;
            if (path != defaultValue && path != ShippedData.Folder && !Directory.Exists(path))
            {
                result.AddError($"{name}: '{Output.ErrorText.Echo(path)}' is not a folder.");
                return null;
            }
            return path;
        },
    };

    /// <summary>A schedule spec (e.g. 'cosine(peak=3e-4,steps=1000)' or its JSON form), checked once at parse time; the text is kept as given.</summary>
    public static Option<string> ScheduleSpec(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "SPEC",
        CustomParser = result => Run(result, name, text =>
        {
            ParseSchedule(text);
            return text;
        }),
    };

    /// <summary>A schedule spec parsed once, at parse time, into its <see cref="Schedules.LrSchedule"/> (null when not given).</summary>
    public static Option<Schedules.LrSchedule?> Schedule(string name, string description) => Parsed(name, description, "SPEC", ParseSchedule);

    /// <summary>Parses a schedule spec and refuses one too long to hold in memory (<see cref="Schedules.ScheduleMemory"/>).</summary>
    private static Schedules.LrSchedule ParseSchedule(string text)
    {
        var schedule = Schedules.LrSchedule.Parse(text);
        Schedules.ScheduleMemory.Check(schedule.Steps);
        return schedule;
    }

    private static string Show(double x) => x.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>--stall-hold level|progress: what a stalled run's forecast holds after its fitted window (<see cref="Fitting.StallHold"/>; the default <see cref="Fitting.StallCheck.DefaultHold"/>).</summary>
    public static Option<string> StallHold(string scope) => Choice("--stall-hold",
        scope + ": what the forecast of a run that had stopped improving holds after its last fitted step: level (the recent level, flat) or progress (the law's progress held at that step, re-levelled to the recent level, its later annealing drop kept; laws without that split hold the level); default "
        + StallHoldName(Fitting.StallCheck.DefaultHold) + " (docs/VALIDATION.md \"A stall hold of the progress alone\").", ["level", "progress"], StallHoldName(Fitting.StallCheck.DefaultHold));

    /// <summary>--stall-hold's value (one of its choices).</summary>
    public static Fitting.StallHold StallHoldOf(string value) => value == "progress" ? Fitting.StallHold.Progress : Fitting.StallHold.Level;

    private static string StallHoldName(Fitting.StallHold hold) => hold == Fitting.StallHold.Progress ? "progress" : "level";

    public static Option<bool> Json() => Flag("--json", "Print one JSON object on stdout (nothing else).");

    public static Option<bool> Quiet(string description = "Print only the result: no progress or notes.") => Flag("--quiet", description);

    /// <summary>--law LAW.json: a fitted law from 'hyperlaws fit' (required).</summary>
    public static Option<string> LawFile() => new("--law") { Description = "A fitted law (LAW.json from 'hyperlaws fit').", Required = true, HelpName = "LAW.json" };

    /// <summary>Largest model size in parameters accepted anywhere (--params): 1e16, far above any model trained.</summary>
    public const double MaxModelSize = 1e16;

    /// <summary>Largest learning rate accepted (--peak, --peaks): 1e6, the schedule specs' bound on a peak.</summary>
    public const double MaxLearningRate = 1e6;

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
