using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

public partial class Program;
