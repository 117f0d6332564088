using HyperLaws.Optimum;
using HyperLaws.Readers;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 4 of shared/docs/validation.md, LR/batch part: the Step Law grid (steplaw/data/dense_lr_bs_loss.csv,
/// 1,911 runs in 17 (N, D) cells). Per cell, the optimum (LR, batch) is estimated from the cell's runs
/// (<see cref="CellOptimumEstimator"/>, on the smoothed final loss as Step Law does); our rule
/// ln eta* = a + b ln N + c ln D, ln B* = d + e ln N + f ln D is fitted on the other 16 cells' optima and
/// predicts the held-out cell (the pooled bowl, <see cref="PooledBowl"/>, fits the rule on the 16 cells' runs directly: the
/// headline since its declared adoption); the score is the smooth loss of the grid run nearest the prediction over the
/// cell's best smooth loss, minus 1 (<see cref="NearestRun"/>). Step Law's and DeepSeek's formulas are scored
/// the same way without fitting (DeepSeek with C = 6 N D). Before the pooled bowl's declared adoption (docs/VALIDATION.md,
/// "Protocol 4 with a pooled bowl") the headline was the windowed quadratic with the full form, fixed before any gap was
/// computed; the other estimator/form pairs are reported beside the headline, not picked from.
/// </summary>
public static class StepLawGrid
{
    /// <summary>The grid table's path under a data folder laid out like shared/data.</summary>
    public static string TablePath(string dataRoot) => Path.Combine(dataRoot, "steplaw", "data", "dense_lr_bs_loss.csv");

    /// <exception cref="ValidationDataException">The table is missing or cannot be read.</exception>
    public static SweepTable Load(string dataRoot)
    {
        string path = TablePath(dataRoot);
        if (!File.Exists(path)) throw new ValidationDataException($"{path}: not found (protocol 4 needs the Step Law grid, which the repository does not ship; the data folder must be laid out like shared/data).");
        try
        {
            return SteplawReader.Read(path);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            throw new ValidationDataException(e is RunFormatException ? e.Message : $"{path}: {e.Message}");
        }
    }

    /// <summary>Reads the grid from a data folder laid out like shared/data (<see cref="Load"/>) and runs the protocol.</summary>
    /// <exception cref="ValidationDataException">The table is missing or cannot be read.</exception>
    public static StepLawGridResult Run(string dataRoot, Action<string>? progress = null)
    {
        var table = Load(dataRoot);
        progress?.Invoke($"{TablePath(dataRoot)}: {table.Points.Count} runs in {table.Cells.Count} (N, D) cells");
        // The pooled bowl's transfer check needs the 124M grid; without it the check is left out (null), the rest runs.
        var grid = Directory.Exists(Path.Combine(dataRoot, "lr-scheduling", "data")) ? ScheduleGrid.Load(dataRoot) : null;
        return Run(table, TablePath(dataRoot), progress, grid);
    }

    /// <summary>Runs the protocol on a grid already read; <paramref name="source"/> names it in the result; <paramref name="scheduleGrid"/>,
    /// the 124M grid's runs, for the pooled bowl's transfer check (<see cref="PooledBowlTransfer"/>; left out when null).</summary>
    public static StepLawGridResult Run(SweepTable table, string source, Action<string>? progress = null, IReadOnlyList<GridRun>? scheduleGrid = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        // The headline since its declared adoption (docs/VALIDATION.md, "Protocol 4 with a pooled bowl"): the pooled bowl.
        progress?.Invoke("leave-one-cell-out: pooled bowl");
        var bowl = OptimumEvaluation.RunPooledBowl(table, leaveOneOut: true, OptimumOptions.Default);
        // The bowl with the other curvature choice (docs/VALIDATION.md, "Protocol 4 with the bowl's curvature in D"): one curvature
        // for all cells against a curvature scaled as (D / 1e10)^-kappa; the default's is the headline, the other the second row.
        var otherCurvature = OptimumOptions.Default with { BowlCurvatureInTokens = !OptimumOptions.Default.BowlCurvatureInTokens };
        progress?.Invoke("leave-one-cell-out: " + BowlName(otherCurvature));
        var bowlOther = OptimumEvaluation.RunPooledBowl(table, leaveOneOut: true, otherCurvature);
        var variants = new List<StepLawVariant> { new(BowlName(OptimumOptions.Default), null, RuleForm.Full, bowl.Result), new(BowlName(otherCurvature), null, RuleForm.Full, bowlOther.Result) };
        foreach (var (estimator, form) in new[] { (OptimumEstimator.Quadratic, RuleForm.Full), (OptimumEstimator.Quadratic, RuleForm.StepLaw), (OptimumEstimator.BestRun, RuleForm.Full), (OptimumEstimator.BestRun, RuleForm.StepLaw) })
        {
            string name = (estimator == OptimumEstimator.Quadratic ? "quadratic" : "best run") + ", " + (form == RuleForm.Full ? "full" : "Step Law form");
            progress?.Invoke($"leave-one-cell-out: {name}");
            var result = OptimumEvaluation.Run(table, leaveOneOut: true, new OptimumOptions(SweepLoss.Smooth, estimator), form);
            variants.Add(new StepLawVariant(name, estimator, form, result));
        }
        var inSample = OptimumEvaluation.Run(table, leaveOneOut: false, OptimumOptions.Default, RuleForm.Full);
        var twoStage = OptimumEvaluation.Run(table, leaveOneOut: false, new OptimumOptions(SweepLoss.Smooth, OptimumEstimator.Quadratic), RuleForm.Full);
        var transfer = scheduleGrid is null ? null : PooledBowlTransfer.Run(bowl.All, twoStage.Rule, scheduleGrid);
        var transferOther = scheduleGrid is null ? null : PooledBowlTransfer.Run(bowlOther.All, twoStage.Rule, scheduleGrid);
        return new StepLawGridResult(variants[0].Result, inSample, variants, table.Points.Count, source, bowl, twoStage, transfer, bowlOther, transferOther);
    }

    /// <summary>The pooled bowl's row name for its curvature choice.</summary>
    public static string BowlName(OptimumOptions options) => "pooled bowl, full" + (options.BowlCurvatureInTokens ? ", curvature (D/1e10)^-kappa" : "");
}
