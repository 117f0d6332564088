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
    public IAnsiConsole Table() => Table(new AnsiConsoleOutput(Out));

    /// <summary>
    /// What <paramref name="write"/> prints on <see cref="Table()"/>'s console, as text to print later on <see cref="Out"/>: the same
    /// console (terminal or not, colours, width, encoding: those of <see cref="Out"/>) writing into a buffer, so that tables can be
    /// laid out beside other work (issue 12: the plan's tables beside its report). Not for live displays or prompts.
    /// </summary>
    public string TableText(Action<IAnsiConsole> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new Buffer(Out.Encoding);
        write(Table(new BufferedOutput(new AnsiConsoleOutput(Out), buffer)));
        return buffer.ToString();
    }

    private IAnsiConsole Table(IAnsiConsoleOutput output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = output,
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!Interactive) console.Profile.Width = 120;
        return console;
    }

    /// <summary>A text buffer that reports <see cref="Out"/>'s encoding, as the console would see it (Unicode borders or not).</summary>
    private sealed class Buffer(System.Text.Encoding encoding) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
    {
        public override System.Text.Encoding Encoding => encoding;
    }

    /// <summary><paramref name="real"/> as the console sees it (terminal, width, height), its text going to <paramref name="buffer"/>.</summary>
    private sealed class BufferedOutput(IAnsiConsoleOutput real, TextWriter buffer) : IAnsiConsoleOutput
    {
        public TextWriter Writer => buffer;

        public bool IsTerminal => real.IsTerminal;

        public int Width => real.Width;

        public int Height => real.Height;

        public void SetEncoding(System.Text.Encoding encoding)
        {
            // The buffer holds text; the real output's encoding is left as it is (it is set when the text is printed there).
        }
    }
}
