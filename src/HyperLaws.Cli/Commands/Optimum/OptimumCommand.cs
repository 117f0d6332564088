using System.CommandLine;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Optimum;
using HyperLaws.Readers;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands.Optimum;

/// <summary>
/// <c>hyperlaws optimum</c>: the optimal peak LR and batch size per (N, D) cell of sweep tables (Step Law
/// format), our rule fitted across cells, and the loss gap of the grid run nearest each rule's prediction
/// (ours, Step Law's, DeepSeek's), in-sample or leave-one-cell-out.
/// </summary>
internal sealed class OptimumCommand : CliCommand<OptimumSettings>
{
    private readonly Option<string[]> _sweeps = new("--sweep") { Description = "Sweep tables in Step Law format (h,ffnh,numh,numl,lr,bs,ti,loss,smooth loss,exp_name,D,N,D/N; bs in sequences of 2048 tokens).", Required = true, AllowMultipleArgumentsPerToken = true, HelpName = "FILE" };
    private readonly Option<bool> _leaveOneOut = CliOptions.Flag("--leave-one-out", "Score each cell with the rule fitted on the other cells (default: the rule fitted on all cells, in-sample).");
    private readonly Option<string> _estimator = CliOptions.Choice("--estimator", "How the rule is fitted: pooled-bowl (one bowl in ln lr, ln batch fitted on every run within --window of its cell's best, its centre the rule; the default), or on per-cell optima: quadratic (a quadratic fitted to the cell's runs within --window of its best, minimised inside their range) or best-run.", ["pooled-bowl", "quadratic", "best-run"], "pooled-bowl");
    private readonly Option<string> _bowlCurvature = CliOptions.Choice("--bowl-curvature", "Pooled bowl: one curvature for all cells (one; the default) or the curvature scaled as (D/1e10)^-kappa with kappa fitted (tokens; docs/VALIDATION.md, \"Protocol 4 with the bowl's curvature in D\").", ["one", "tokens"]);
    private readonly Option<string> _form = CliOptions.Choice("--form", "Rule form: full (ln B* depends on N and D) or steplaw (ln B* on D only); default full.", ["full", "steplaw"], "full");
    private readonly Option<string> _loss = CliOptions.Choice("--loss", "Loss column judged: smooth (the smoothed final loss, as Step Law) or final; default smooth.", ["smooth", "final"], "smooth");
    private readonly Option<double?> _window = CliOptions.Checked("--window", "Quadratic estimator: relative loss window above the cell's best (default 0.02).", "F", v => v > 0 && v <= 10, "a relative loss window in (0, 10]");
    private readonly Option<string> _size = CliOptions.Choice("--size", "MoE tables (Step Law's moe_lr_bs_loss.csv): N is the activated (active) or the total (total) parameter count; each configuration is its own cell.", ["active", "total"]);
    private readonly Option<string> _ruleFile = new("--rule") { Description = "Apply this rule (RULE.json from --save-rule, fitted on another sweep) to the tables instead of fitting one on them.", HelpName = "RULE.json" };
    private readonly Option<string> _saveRule = new("--save-rule") { Description = "Write the rule fitted on all cells to RULE.json, to apply to other tables with --rule.", HelpName = "RULE.json" };
    private readonly Option<bool> _json = CliOptions.Json();
    private readonly Option<bool> _quiet = CliOptions.Quiet();

    public override string Name => "optimum";

    public override string Description => "Optimal peak learning rate and batch size per (N, D) cell of sweep tables, a rule fitted across cells, and its loss gap next to Step Law's and DeepSeek's.";

    protected override IEnumerable<Option> Options => [_sweeps, _leaveOneOut, _estimator, _bowlCurvature, _form, _loss, _window, _size, _ruleFile, _saveRule, _json, _quiet];

    public override OptimumSettings Bind(ParseResult parse)
    {
        var options = new OptimumOptions(
            parse.GetValue(_loss) == "final" ? SweepLoss.Final : SweepLoss.Smooth,
            parse.GetValue(_estimator) switch { "best-run" => OptimumEstimator.BestRun, "quadratic" => OptimumEstimator.Quadratic, _ => OptimumEstimator.PooledBowl },
            parse.GetValue(_window) ?? 0.02);
        if (parse.GetValue(_window) is not null && options.Estimator == OptimumEstimator.BestRun) throw new UserInputException("--window applies to --estimator pooled-bowl or quadratic only.");
        if (parse.GetValue(_bowlCurvature) is { } curvature)
        {
            if (options.Estimator != OptimumEstimator.PooledBowl) throw new UserInputException("--bowl-curvature applies to --estimator pooled-bowl only.");
            options = options with { BowlCurvatureInTokens = curvature == "tokens" };
        }
        var form = parse.GetValue(_form) == "steplaw" ? RuleForm.StepLaw : RuleForm.Full;
        if (form == RuleForm.StepLaw && options.Estimator == OptimumEstimator.PooledBowl)
            throw new UserInputException("--form steplaw: the pooled bowl (the default --estimator) fits the full form only; add --estimator quadratic or best-run.");
        var read = new RunReadOptions
        {
            MoeSize = parse.GetValue(_size) switch
            {
                "active" => MoeParameterCount.Active,
                "total" => MoeParameterCount.Total,
                _ => null,
            },
        };
        bool loo = parse.GetValue(_leaveOneOut);
        string? rule = parse.GetValue(_ruleFile), save = parse.GetValue(_saveRule);
        var settings = new OptimumSettings(parse.Required(_sweeps), read, options, form, loo, rule, save, parse.GetValue(_json), parse.GetValue(_quiet));
        return settings;
    }

    public override int Execute(CliIo io, OptimumSettings settings)
    {
        Action<string>? progress = settings.Silent ? null : m => io.Err.WriteLine("optimum: " + m);
        var table = OptimumHandler.ReadTables(settings, out var notes);
        if (settings.RuleFile is { } givenRule)
        {
            if (settings.LeaveOneOut || settings.SaveRule is not null || settings.Form != RuleForm.Full || settings.Options.BowlCurvatureInTokens)
                throw new UserInputException("--rule applies a rule fitted elsewhere: --leave-one-out, --save-rule, --form and --bowl-curvature belong to fitting one.");
            return OptimumRuleApplication.Run(io, givenRule, table, settings.Sweeps, settings.Options, settings.Json, progress);
        }
        var result = OptimumHandler.Run(settings, table, notes, progress);
        if (settings.SaveRule is { } rulePath) OptimumRenderer.WriteRule(rulePath, settings, result);
        OptimumRenderer.Write(io, settings, result);
        return 0;
    }
}
