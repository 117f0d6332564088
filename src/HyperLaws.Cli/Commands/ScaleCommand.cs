using System.CommandLine;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Theory;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>hyperlaws scale</c>: the optimal hyperparameters of one regime at one budget, closed form and
/// numerical side by side.
/// </summary>
internal static class ScaleCommand
{
    public static Command Create(CliIo io)
    {
        var regime = RegimeOption.Create(includeFixedLr: true);
        var tokens = CliOptions.Number("--tokens", "Budget T in samples or tokens (same unit as the batch), e.g. 1e10 or 10B.", "T");
        var iterations = CliOptions.Number("--iterations", "Budget as iterations K (needs --batch; T = K b). Only for regimes with a fixed batch.", "K");
        var momentum = CliOptions.Number("--momentum", "Fixed momentum beta in [0, 1) (lr-only, fixed-momentum, fixed-lr).", "BETA");
        var batch = CliOptions.Number("--batch", "Fixed batch size b >= 1 (lr-only, fixed-batch).", "B");
        var lr = CliOptions.Number("--lr", "Fixed learning rate (fixed-lr).", "ETA");
        var ridge = CliOptions.Number("--ridge-exponent", "Batch-growth exponent c in [0, 1/2] (ridge).", "C");
        var maxBatch = CliOptions.Number("--max-batch", "Largest batch allowed (memory); with joint, momentum is tuned instead beyond it (Corollary 1).", "B");
        var integer = CliOptions.Flag("--integer-batch", "Whole batches only (default: b is a continuous variable).");
        var json = CliOptions.Json();
        var proxyOptions = new ProxyOptions();

        var command = new Command("scale", "Optimal learning rate, momentum and batch size for a budget under one tuning regime of the LMO theory.");
        foreach (var o in new Option[] { regime, tokens, iterations, momentum, batch, lr, ridge, maxBatch, integer })
            command.Options.Add(o);
        proxyOptions.AddTo(command);
        command.Options.Add(json);

        command.SetAction(r =>
        {
            var reg = RegimeOption.Read(r, regime);
            var (optimizer, rho, constants) = proxyOptions.Read(r);
            double? b = r.GetValue(batch);
            double t = Budget(reg, r.GetValue(tokens), r.GetValue(iterations), b);
            double? beta = r.GetValue(momentum);
            if (beta is { } bb && !(bb >= 0 && bb < 1)) throw new UserInputException($"--momentum must be in [0, 1) (got {bb}).");

            var problem = new ScalingProblem(reg, t)
            {
                Batch = b,
                Alpha = beta is { } x ? 1 - x : null,
                LearningRate = r.GetValue(lr),
                RidgeExponent = r.GetValue(ridge),
                MaxBatch = r.GetValue(maxBatch),
                IntegerBatch = r.GetValue(integer),
            };
            var s = UserInputException.Guard(() => Scaling.Solve(problem, constants));

            if (r.GetValue(json)) io.Out.WriteLine(Json.Serialize(ToJson(s, optimizer, rho)));
            else Print(io, s, optimizer, rho);
            return 0;
        });
        return command;
    }

    private static double Budget(TuningRegime regime, double? tokens, double? iterations, double? batch)
    {
        if (tokens is not null && iterations is not null) throw new UserInputException("give either --tokens or --iterations, not both.");
        if (tokens is { } t) return t;
        if (iterations is not { } k) throw new UserInputException("give a budget: --tokens T or --iterations K.");
        if (regime is not (TuningRegime.LrOnly or TuningRegime.FixedBatch))
            throw new UserInputException($"--iterations fixes K, but regime {Names.Of(regime)} tunes the batch under a token budget (at fixed K a larger batch always helps): give --tokens.");
        if (batch is not { } b) throw new UserInputException("--iterations needs --batch (T = K b).");
        if (!(k >= 1)) throw new UserInputException($"--iterations must be at least 1 (got {k}).");
        return k * b;
    }

    public static JsonObject ToJson(ScalingSolution s, LmoOptimizer optimizer, double rho)
    {
        var p = s.Recommended;
        return new JsonObject
        {
            ["regime"] = Names.Of(s.Problem.Regime),
            ["tokens"] = Json.Number(p.Tokens),
            ["iterations"] = Json.Number(p.Iterations),
            ["learningRate"] = Json.Number(p.LearningRate),
            ["momentum"] = Json.Number(p.Momentum),
            ["alpha"] = Json.Number(p.Alpha),
            ["batchSize"] = Json.Number(p.BatchSize),
            ["proxy"] = Json.Number(p.Proxy),
            ["valid"] = s.Valid,
            ["warnings"] = Json.Strings(s.Warnings),
            ["recommended"] = ReferenceEquals(p, s.ClosedForm) ? "closed-form" : "numerical",
            ["closedForm"] = Json.Point(s.ClosedForm),
            ["numerical"] = Json.Point(s.Numerical),
            ["closedFormExact"] = s.ClosedFormExact,
            ["proxyGap"] = Json.Number(s.ProxyGap),
            ["argumentGap"] = Json.Number(s.ArgumentGap),
            ["numericalEvaluations"] = s.NumericalEvaluations,
            ["conditions"] = Json.Conditions(s.Conditions),
            ["criticalRatio"] = Json.Number(new LmoProxy(s.Constants).CriticalRatio(p.Tokens)),
            ["optimizer"] = Names.Of(optimizer),
            ["rho"] = Json.Number(rho),
            ["constants"] = Json.Constants(s.Constants),
        };
    }

    private static void Print(CliIo io, ScalingSolution s, LmoOptimizer optimizer, double rho)
    {
        var console = io.Table();
        var rec = s.Recommended;
        console.MarkupLine($"[bold]{Names.Of(s.Problem.Regime)}[/] ({Markup.Escape(RegimeOption.Describe(s.Problem.Regime))}), budget T = {Format.Count(rec.Tokens)}, optimizer {Names.Of(optimizer)}, rho = {Format.G(rho)}{(s.Constants.IsLargeHorizon ? ", large-horizon proxy" : "")}");
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("quantity").AddColumn(new TableColumn("closed form").RightAligned()).AddColumn(new TableColumn("numerical").RightAligned());
        void Row(string name, Func<HyperparameterPoint, string> f) => table.AddRow(name, f(s.ClosedForm), f(s.Numerical));
        Row("learning rate eta", p => Format.G(p.LearningRate));
        Row("momentum beta", p => Format.Beta(p.Momentum));
        Row("alpha = 1 - beta", p => Format.G(p.Alpha));
        Row("batch size b", p => Format.G(p.BatchSize, 6));
        Row("iterations K = T/b", p => Format.G(p.Iterations, 6));
        Row("proxy P", p => Format.G(p.Proxy, 6));
        console.Write(table);
        console.MarkupLine(Markup.Escape(
            $"closed form: {(s.ClosedFormExact ? "exact for this proxy" : "leading order")}; gap to the numerical optimum: proxy {Format.Percent(s.ProxyGap, 4)}, arguments {Format.Percent(s.ArgumentGap, 4)}"));
        console.MarkupLine(Markup.Escape($"recommended: the {(ReferenceEquals(rec, s.ClosedForm) ? "closed-form" : "numerical")} point; valid: {(s.Valid ? "yes" : "no")}"));
        foreach (var w in s.Warnings) console.MarkupLine("[yellow]warning:[/] " + Markup.Escape(w));
    }
}
