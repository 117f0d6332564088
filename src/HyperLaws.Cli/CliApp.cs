using System.CommandLine;
using System.Globalization;
using HyperLaws.Cli.Commands;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;

namespace HyperLaws.Cli;

/// <summary>
/// The <c>hyperlaws</c> command line. Exit codes: 0 success; 1 a verification failed; 2 bad input
/// (one line on stderr); 70 an internal error (one line, no stack trace).
/// </summary>
public static partial class CliApp
{
    public const int UsageError = 2;
    public const int InternalError = 70;

    public static RootCommand Build(CliIo io)
    {
        var root = new RootCommand(
            "HyperLaws: learning rate, batch size, momentum and schedule from scaling laws (LMO convergence theory, Opt-Laws and peers).");
        root.Subcommands.Add(new Commands.Demo.DemoCommand().Build(io));
        root.Subcommands.Add(new Commands.Scale.ScaleCommand().Build(io));
        root.Subcommands.Add(new Commands.Transfer.TransferCommand().Build(io));
        root.Subcommands.Add(new Commands.Verify.VerifyCommand().Build(io));
        root.Subcommands.Add(new Commands.Fit.FitCommand().Build(io));
        root.Subcommands.Add(new Commands.Predict.PredictCommand().Build(io));
        root.Subcommands.Add(new Commands.Rank.RankCommand().Build(io));
        root.Subcommands.Add(new Commands.OptimizeSchedule.OptimizeScheduleCommand().Build(io));
        root.Subcommands.Add(new Commands.RankContinuation.RankContinuationCommand().Build(io));
        root.Subcommands.Add(new Commands.Contour.ContourCommand().Build(io));
        root.Subcommands.Add(new Commands.Compare.CompareCommand().Build(io));
        root.Subcommands.Add(new Commands.Validate.ValidateCommand().Build(io));
        root.Subcommands.Add(new Commands.Diverge.DivergeCommand().Build(io));
        root.Subcommands.Add(new Commands.LrPrior.LrPriorCommand().Build(io));
        root.Subcommands.Add(new Commands.Optimum.OptimumCommand().Build(io));
        root.Subcommands.Add(new Commands.SizeLaw.SizeLawCommand().Build(io));
        root.Subcommands.Add(new Commands.Plan.PlanCommand().Build(io));
        root.Subcommands.Add(new Commands.Sweep.SweepCommand().Build(io));
        root.Subcommands.Add(new Commands.Import.ImportCommand().Build(io));
        return root;
    }

    /// <summary>
    /// The parse error to show: one naming a token the user typed (an unknown command or option)
    /// beats a generic one such as "Required command was not provided".
    /// </summary>
    private static string MostSpecificError(ParseResult parse)
    {
        foreach (var token in parse.UnmatchedTokens)
        {
            var named = parse.Errors.FirstOrDefault(e => e.Message.Contains($"'{token}'", StringComparison.Ordinal));
            if (named is not null) return named.Message;
        }
        return WithOption(parse.Errors[0]);
    }

    /// <summary>The error's message, prefixed with the option it concerns when the parser's wording leaves it out.</summary>
    private static string WithOption(System.CommandLine.Parsing.ParseError error)
    {
        var option = error.SymbolResult switch
        {
            System.CommandLine.Parsing.OptionResult o => o.Option,
            System.CommandLine.Parsing.ArgumentResult { Parent: System.CommandLine.Parsing.OptionResult o } => o.Option,
            _ => null,
        };
        return option is null || error.Message.Contains(option.Name, StringComparison.Ordinal) ? error.Message : $"{option.Name}: {error.Message}";
    }

    /// <summary>
    /// A flag (an option that takes no value, such as <c>--quiet</c>) given a value, <c>--quiet=yes</c>, <c>--quiet:yes</c>, or
    /// followed by a word the parser left unmatched (<c>--quiet yes</c>) or by a separate true/false (<c>--quiet false</c>):
    /// the error naming the flag, else null. The parser
    /// would split <c>--quiet=yes</c> and report only "Unrecognized command or argument 'yes'", or take <c>--quiet=false</c>
    /// as the flag given.
    /// </summary>
    private static string? FlagGivenAValue(string[] args, ParseResult parse)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (System.CommandLine.Parsing.SymbolResult? r = parse.CommandResult; r is not null; r = r.Parent)
            if (r is System.CommandLine.Parsing.CommandResult c)
                foreach (var o in c.Command.Options.Where(o => o.ValueType == typeof(bool)))
                    foreach (string name in o.Aliases.Prepend(o.Name))
                        flags.TryAdd(name, o.Name);
        var unmatched = parse.UnmatchedTokens.ToHashSet(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg == "--") break;
            if (!arg.StartsWith('-')) continue;
            int at = arg.IndexOfAny(['=', ':']);
            if (at > 0 && flags.TryGetValue(arg[..at], out string? flag))
                return $"{flag} takes no value (got '{ErrorText.Echo(arg[(at + 1)..])}'): give {flag} alone.";
            // A separate true/false the parser would take as the flag's value (Option<bool> has arity zero-or-one), so that
            // "--json false" turned --json off while "--json=false" was refused: both are refused alike.
            if (flags.TryGetValue(arg, out flag) && i + 1 < args.Length && (unmatched.Contains(args[i + 1]) || bool.TryParse(args[i + 1], out _)))
                return $"{flag} takes no value (got '{ErrorText.Echo(args[i + 1])}'): give {flag} alone.";
        }
        return null;
    }

    /// <summary>
    /// The command line of a <c>[suggest:N]</c> directive with each <c>--option=value</c> written <c>--option value</c> (the same length,
    /// so the cursor position N still points where it did): System.CommandLine's completion threw "Sequence contains no matching
    /// element" on the <c>=</c> form (<c>plan --laws=optlaw,mp</c>: internal error, exit 70), which it parses alike otherwise.
    /// </summary>
    private static string OptionValueAsWord(string commandLine) => OptionEquals().Replace(commandLine, "$1 ");

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<=^|\s)(--?[A-Za-z][A-Za-z0-9-]*)=")]
    private static partial System.Text.RegularExpressions.Regex OptionEquals();

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        var io = new CliIo(output, error);
        bool suggest = args.Length > 0 && args[0].StartsWith("[suggest", StringComparison.Ordinal);
        if (suggest) args = [.. args.Select((a, i) => i == 0 ? a : OptionValueAsWord(a))];
        try
        {
            InputGuard.CheckResponseFiles(args);
            var parse = Build(io).Parse(args);
            if (FlagGivenAValue(args, parse) is { } flagError)
            {
                error.WriteLine($"hyperlaws: error: {flagError}");
                return UsageError;
            }
            if (parse.Errors.Count > 0)
            {
                string command = parse.CommandResult.Command is RootCommand ? "" : " " + parse.CommandResult.Command.Name;
                error.WriteLine($"hyperlaws: error: {ErrorText.OneLine(MostSpecificError(parse))} (see 'hyperlaws{command} --help')");
                return UsageError;
            }
            InputGuard.Check(parse);
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (UserInputException e)
        {
            error.WriteLine($"hyperlaws: error: {ErrorText.OneLine(e.Message)}");
            return UsageError;
        }
        catch (Validation.ValidationDataException e)
        {
            // The data folder given (--data) is missing or not laid out like shared/data: the user's input.
            error.WriteLine($"hyperlaws: error: {ErrorText.OneLine(e.Message)}");
            return UsageError;
        }
        catch (Exception) when (suggest)
        {
            // Tab completion (dotnet-suggest's [suggest:N] directive) never fails the shell's completion: no completions, exit 0.
            return 0;
        }
        catch (Exception e)
        {
            error.WriteLine($"hyperlaws: internal error ({e.GetType().Name}): {ErrorText.OneLine(e.Message)}");
            return InternalError;
        }
    }
}
