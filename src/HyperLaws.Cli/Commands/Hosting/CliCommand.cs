using System.CommandLine;
using HyperLaws.Cli.Output;

namespace HyperLaws.Cli.Commands.Hosting;

/// <summary>
/// One command of the <c>hyperlaws</c> line, in the shape of Spectre.Console.Cli's
/// <c>Command&lt;TSettings&gt;</c> and dotnet/sdk's parser/command split, on System.CommandLine:
/// the command declares its options (typed parsers from <see cref="Options.CliOptions"/> that reject
/// NaN, empty and out-of-range values naming the option), <see cref="Bind"/> builds its typed,
/// validated <typeparamref name="TSettings"/> record once from the parse, and <see cref="Execute"/>
/// hands the settings to a handler (settings -> core -> result record, no console I/O) and the result
/// to renderers (tables, JSON nodes written by <see cref="ResultOutput"/> through the one serialiser <see cref="Json"/>, files
/// through <see cref="ResultOutput.WriteJsonFile"/>, <see cref="Files"/> and <see cref="OutputFolder"/>).
/// </summary>
/// <typeparam name="TSettings">The command's settings record.</typeparam>
internal abstract class CliCommand<TSettings>
{
    /// <summary>The command's name on the command line.</summary>
    public abstract string Name { get; }

    /// <summary>The command's one-line description (help).</summary>
    public abstract string Description { get; }

    /// <summary>The command's options, in help order.</summary>
    protected abstract IEnumerable<Option> Options { get; }

    /// <summary>Builds the settings from a parse; every value is read and checked here, once.</summary>
    public abstract TSettings Bind(ParseResult parse);

    /// <summary>Runs the command on its settings; returns the exit code.</summary>
    public abstract int Execute(CliIo io, TSettings settings);

    /// <summary>The command's positional arguments; none by default.</summary>
    protected virtual IEnumerable<Argument> Arguments => [];

    /// <summary>Checks across options that run at parse time (System.CommandLine validators); none by default.</summary>
    protected virtual IEnumerable<Action<System.CommandLine.Parsing.CommandResult>> Validators => [];

    /// <summary>The System.CommandLine command: options declared, action = bind then execute.</summary>
    public Command Build(CliIo io)
    {
        var command = new Command(Name, Description);
        foreach (var argument in Arguments) command.Arguments.Add(argument);
        foreach (var option in Options) command.Options.Add(option);
        foreach (var validator in Validators) command.Validators.Add(validator);
        command.SetAction(parse => Execute(io, Bind(parse)));
        return command;
    }
}
