using Spectre.Console;

namespace HyperLaws.Cli.Output;

/// <summary>Where a command writes: stdout for results, stderr for progress, notes and errors.</summary>
public sealed class CliIo(TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;

    public TextWriter Err { get; } = error;

    /// <summary>True when stdout is the process's own terminal (colours and live progress allowed).</summary>
    public bool Interactive => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>A Spectre console over <see cref="Out"/>: plain text and 120 columns unless on a terminal.</summary>
    public IAnsiConsole Table()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!Interactive) console.Profile.Width = 120;
        return console;
    }
}
