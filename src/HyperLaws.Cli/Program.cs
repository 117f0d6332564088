using HyperLaws.Cli.Output;

// stdout and stderr closed by the caller: see StandardStreamWriter.
TextWriter output = Console.IsOutputRedirected ? new StandardStreamWriter(Console.Out, isError: false) : Console.Out;
TextWriter error = Console.IsErrorRedirected ? new StandardStreamWriter(Console.Error, isError: true) : Console.Error;
if (!TimedWriter.Enabled) return HyperLaws.Cli.CliApp.Run(args, output, error);
// HYPERLAWS_TIMING=1: every progress line carries the time since the process started, and one more line at exit.
var timed = new TimedWriter(error);
int code = HyperLaws.Cli.CliApp.Run(args, output, timed);
timed.WriteLine($"exit {code}");
return code;
