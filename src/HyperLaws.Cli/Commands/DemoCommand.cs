using System.CommandLine;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Theory;
using HyperLaws.Theory.Verification;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>hyperlaws demo</c>: the main job on the embedded default, no input needed. For now: the LMO
/// verification sweep with its figures, one joint optimum and one budget transfer.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliIo io)
    {
        var outDir = new Option<string>("--out") { Description = "Folder for the demo's figures and reports.", DefaultValueFactory = _ => Path.Combine("hyperlaws-out", "demo"), HelpName = "DIR" };
        var quiet = CliOptions.Quiet();
        var command = new Command("demo", "Run the main job on the embedded defaults: verify the LMO scaling laws, draw the figures, show a plan-sized example.");
        command.Options.Add(outDir);
        command.Options.Add(quiet);
        command.SetAction(r =>
        {
            string dir = r.GetValue(outDir)!;
            bool q = r.GetValue(quiet);
            var console = io.Table();
            if (!q) console.Write(new Rule("[bold]1. LMO scaling laws: closed forms vs numerical optimisation, budgets 1e3..1e14[/]").LeftJustified());
            int code = VerifyCommand.Run(io, new VerificationOptions(), dir, figures: true, json: false, quiet: q);

            if (!q) console.Write(new Rule("[bold]2. Jointly tuned hyperparameters at T = 1e10 (unit constants)[/]").LeftJustified());
            var joint = Scaling.Solve(new ScalingProblem(TuningRegime.Joint, 1e10));
            var p = joint.Recommended;
            console.MarkupLine(Markup.Escape($"eta* = {Format.G(p.LearningRate)}, beta* = {Format.Beta(p.Momentum)}, b* = {Format.G(p.BatchSize)}, proxy = {Format.G(p.Proxy)}"));

            if (!q) console.Write(new Rule("[bold]3. Transfer: tuned at 1B tokens (eta 3e-3, beta 0.9, b 256), trained at 100B[/]").LeftJustified());
            foreach (var regime in new[] { TuningRegime.FixedMomentum, TuningRegime.FixedBatch, TuningRegime.Joint })
            {
                var t = BudgetTransfer.Transfer(new TransferRequest(regime, 1e9, 3e-3, 0.9, 256, 1e11));
                console.MarkupLine(Markup.Escape($"{Names.Of(regime),-15} eta {Format.G(t.LearningRate)}, beta {Format.Beta(t.Momentum)}, b {Format.G(t.Batch, 6)}{(t.Valid ? "" : " (outside the rule's validity)")}"));
            }
            console.MarkupLine(Markup.Escape($"figures and verify.json: {Path.GetFullPath(dir)}"));
            return code;
        });
        return command;
    }
}
