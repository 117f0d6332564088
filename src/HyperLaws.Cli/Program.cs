using HyperLaws.Cli.Output;

if (!TimedWriter.Enabled) return HyperLaws.Cli.CliApp.Run(args, Console.Out, Console.Error);
// HYPERLAWS_TIMING=1: every progress line carries the time since the process started, and one more line at exit.
var timed = new TimedWriter(Console.Error);
int code = HyperLaws.Cli.CliApp.Run(args, Console.Out, timed);
timed.WriteLine($"exit {code}");
return code;
