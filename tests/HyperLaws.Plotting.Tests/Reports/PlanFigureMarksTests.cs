using HyperLaws.Divergence;
using HyperLaws.Planning;
using HyperLaws.Plotting.Reports;
using Xunit;

namespace HyperLaws.Plotting.Tests.Reports;

/// <summary>
/// What the plan's figures mark: the loss interval as a band and the end of the fitted data on the loss curves, and the
/// divergence model the divergence figures plot.
/// </summary>
public sealed class PlanFigureMarksTests
{
    private static PlanFigure Figure(TrainingPlan plan, string name) => PlanFigures.Build(plan, SamplePlan.Data()).Figures.Single(f => f.Name == name);

    [Fact]
    public void LossCurves_BandTheBestPlansInterval_AlongItsCurve()
    {
        var plan = SamplePlan.Create();
        var chart = Figure(plan, PlanFigures.LossCurves).Line!;
        var band = Assert.Single(chart.Bands!);
        var best = chart.Series[0];
        Assert.Equal(best.X, band.X);
        double low = plan.Best.Lower / plan.Best.PredictedLoss, high = plan.Best.Upper / plan.Best.PredictedLoss;
        for (int i = 0; i < best.X.Length; i++)
        {
            Assert.Equal(best.Y[i] * low, band.Lower[i], 12);
            Assert.Equal(best.Y[i] * high, band.Upper[i], 12);
        }

        // At the last step the band is the plan's interval itself.
        Assert.Equal(plan.Best.Lower, band.Lower[^1], 12);
        Assert.Equal(plan.Best.Upper, band.Upper[^1], 12);
        var rows = CsvReader.Rows(FigureWriter.ToCsv(chart));
        Assert.Equal(band.X.Length, rows.Count(r => r[0] == band.Name + " [upper]"));
    }

    [Fact]
    public void LossCurves_WithoutAnInterval_HaveNoBand()
    {
        var plan = SamplePlan.Create();
        plan = plan with { Best = plan.Best with { Lower = double.NaN, Upper = double.NaN } };
        var figure = Figure(plan, PlanFigures.LossCurves);
        Assert.Empty(figure.Line!.Bands!);
        Assert.Contains("no band", figure.Caption, StringComparison.Ordinal);
    }

    [Fact]
    public void LossCurves_MarkTheEndOfTheFittedData()
    {
        // The sample plan's horizon warning says the longest run has 15,000 steps.
        var figure = Figure(SamplePlan.Create(), PlanFigures.LossCurves);
        var marker = Assert.Single(figure.Line!.VerticalMarkers!);
        Assert.Equal(15_000, marker.X);
        Assert.Contains("end of the fitted data", marker.Label, StringComparison.Ordinal);
        Assert.Contains("extrapolates", figure.Caption, StringComparison.Ordinal);

        // The plan's own record wins over the warning.
        var exact = Figure(SamplePlan.Create() with { FittedSteps = 20_000 }, PlanFigures.LossCurves);
        Assert.Equal(20_000, Assert.Single(exact.Line!.VerticalMarkers!).X);

        // A law counting each plan step as w runs' steps (BatchSteps.CriticalBatch): the fitted data end at plan step longest / w.
        var counted = Figure(SamplePlan.Create() with { FittedSteps = 20_000, StepFactor = 2 }, PlanFigures.LossCurves);
        Assert.Equal(10_000, Assert.Single(counted.Line!.VerticalMarkers!).X);
        Assert.Equal(10_000, PlanFigures.FittedEnd(SamplePlan.Create() with { FittedSteps = 20_000, StepFactor = 2 }));

        // Fitted data reaching past the plan's steps: nothing to mark, and the caption says so.
        var within = Figure(SamplePlan.Create() with { FittedSteps = 1e6 }, PlanFigures.LossCurves);
        Assert.True(within.Line!.VerticalMarkers is null or { Count: 0 });
        Assert.Contains("within the fitted data", within.Caption, StringComparison.Ordinal);
    }

    [Fact]
    public void DivergenceFigures_NameTheCriticalLrModelAndItsSourceFile()
    {
        var rule = new CriticalLrRule(Math.Log(3e-3), -0.3, 0.2, -0.05, 0, 6);
        var target = new PlanTarget(SamplePlan.Parameters, SamplePlan.Tokens, SamplePlan.BatchSequences * (double)SamplePlan.SequenceLength, SamplePlan.Steps);
        var plan = SamplePlan.Create() with { Guard = new ScreenDivergenceGuard(new DivergenceModel(rule), "/data/priors/divergence-steplaw.json (the shipped prior)"), Target = target };

        var probability = Figure(plan, PlanFigures.DivergenceProbability);
        Assert.Contains("critical-LR boundary eta_crit, divergence-steplaw.json", probability.Title, StringComparison.Ordinal);
        Assert.Contains("version-2 divergence model", probability.Caption, StringComparison.Ordinal);
        Assert.Contains("eta_crit = exp(-5.809 -0.3 ln(N/1e8) +0.2 ln(B/1e6) -0.05 ln(D/1e10))", probability.Caption, StringComparison.Ordinal);
        Assert.Contains("Source: /data/priors/divergence-steplaw.json", probability.Caption, StringComparison.Ordinal);
        Assert.Contains("critical-LR boundary eta_crit", Figure(plan, PlanFigures.DivergenceMargin).Title, StringComparison.Ordinal);

        // Without the screen (a hand-made plan) the figure keeps the predictor's name.
        Assert.Contains(SamplePlan.Divergence().Predictor, Figure(SamplePlan.Create(), PlanFigures.DivergenceProbability).Title, StringComparison.Ordinal);
    }
}
