using System.CommandLine;
using HyperLaws.Theory;

namespace HyperLaws.Cli.Options;

/// <summary>The proxy's constants and the optimizer preset (which sets the norm factor rho).</summary>
public sealed class ProxyOptions
{
    private readonly Option<double?> _c1 = CliOptions.Number("--C1", "Initial-gap constant C1 (default 1).", "X", 1e-6, 1e6);
    private readonly Option<double?> _c2 = CliOptions.Number("--C2", "Smoothness constant C2 (default 1).", "X", 1e-6, 1e6);
    private readonly Option<double?> _c3 = CliOptions.Number("--C3", "Noise constant C3 before the norm factor rho (default 1).", "X", 1e-6, 1e6);
    private readonly Option<double?> _ca = CliOptions.Positive("--ca", "Coefficient of the momentum-lag term C2 eta ca/alpha (default 1).", "X", 1e6); // was [0, 1e6]: 0 (or 1e-400) got the core's "ca must be positive"
    private readonly Option<double?> _cb = CliOptions.Number("--cb", "Coefficient of the smoothness term C2 eta cb (default 1; 0 with --large-horizon).", "X", 0, 1e6);
    private readonly Option<double?> _cc = CliOptions.Positive("--cc", "Coefficient of the noise term C3 cc sqrt(alpha/b) (default 1).", "X", 1e6);
    private readonly Option<double?> _cd = CliOptions.Number("--cd", "Coefficient of the momentum-transient term C3 cd sqrt(b)/(alpha T) (default 1; 0 with --large-horizon).", "X", 0, 1e6);
    private readonly Option<bool> _largeHorizon = CliOptions.Flag("--large-horizon", "Use the large-horizon proxy of Theorems 1-2 (cb = cd = 0).");
    private readonly Option<string> _optimizer = new("--optimizer")
    {
        Description = "LMO optimizer: nsgd (l2 ball), signsgd (l-inf ball, stand-in for Adam), muon (spectral ball). Sets rho from --shapes.",
        DefaultValueFactory = _ => "nsgd",
        HelpName = "nsgd|signsgd|muon",
    };
    private readonly Option<string[]> _shapes = new("--shapes")
    {
        Description = "Parameter shapes for rho, e.g. 768x768*48,768x3072*24,768 (ROWSxCOLS[*COUNT] or N[*COUNT]).",
        AllowMultipleArgumentsPerToken = true,
        HelpName = "SHAPES",
    };
    private readonly Option<double?> _rho = CliOptions.Number("--rho", "Norm factor rho folded into C3 (overrides the one derived from --shapes).", "X", 1e-12, 1e12);

    public ProxyOptions()
    {
        CliOptions.AcceptOnly(_optimizer, [.. Names.AllOptimizers]);
    }

    /// <summary>The options, in help order.</summary>
    public IEnumerable<Option> All => [_optimizer, _shapes, _rho, _c1, _c2, _c3, _ca, _cb, _cc, _cd, _largeHorizon];

    public void AddTo(Command command)
    {
        foreach (var o in All) command.Options.Add(o);
    }

    /// <summary>The optimizer, rho and constants (rho folded into C3) the user asked for.</summary>
    public (LmoOptimizer Optimizer, double Rho, ProxyConstants Constants) Read(ParseResult r)
    {
        _ = Names.TryParseOptimizer(r.GetValue(_optimizer) ?? "nsgd", out var optimizer);
        var shapes = (r.GetValue(_shapes) ?? [])
            .SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(ParseShape)
            .ToList();
        double rho = r.GetValue(_rho) ?? NormFactor.Rho(optimizer, shapes);
        if (!(rho > 0)) throw new UserInputException($"--rho must be positive (got {rho}).");

        bool large = r.GetValue(_largeHorizon);
        var c = new ProxyConstants(
            r.GetValue(_c1) ?? 1, r.GetValue(_c2) ?? 1, r.GetValue(_c3) ?? 1,
            r.GetValue(_ca) ?? 1, r.GetValue(_cb) ?? (large ? 0 : 1), r.GetValue(_cc) ?? 1, r.GetValue(_cd) ?? (large ? 0 : 1));
        if (large && (c.Cb != 0 || c.Cd != 0)) throw new UserInputException("--large-horizon sets cb = cd = 0: do not also give --cb or --cd.");
        UserInputException.Guard(() => { c.Validate(); return 0; });
        return (optimizer, rho, c.WithNormFactor(rho));
    }

    private static ParameterShape ParseShape(string text)
    {
        try
        {
            return ParameterShape.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UserInputException($"--shapes: {e.Message}");
        }
    }
}
