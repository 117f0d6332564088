return HyperLaws.Cli.CliApp.Run(args, Console.Out, Console.Error);
