using HyperLaws.Divergence;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// Marin's optimizer-sweep ablation tables: a real excerpt (TestData/marin_sweep, the AdamW 130m 1x table at commit 122c501),
/// each point checked against the table's rows and the sweep code's sizes, and hand-made variants of it for the errors.
/// </summary>
public sealed class MarinSweepReaderTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Real => Path.Combine(AppContext.BaseDirectory, "TestData", "marin_sweep", "hyperparam_tables_adamw_head.tex");

    [Fact]
    public void The_baseline_and_the_rows_that_change_the_peak_lr_alone_are_the_points()
    {
        Assert.True(MarinSweepReader.Recognizes(Real));
        var table = MarinSweepReader.Read([Real]);
        var cell = Assert.Single(table.Cells);
        // Rows 0 (baseline, 0.008), 8 (0.004), 9 (0.016) and 10 (0.032, diverged): the 15 rows that change another hyperparameter are not read.
        Assert.Equal([(0.008, 3.529), (0.004, 3.550), (0.016, 3.538), (0.032, 7.781)], cell.Points.Select(p => (p.LearningRate, p.Loss)).ToList());
        Assert.All(cell.Points, p =>
        {
            Assert.Equal(134_217_728, p.N); // 32 x (512 x 2048 x 3 + 512^2 x 4), utils_simp.expected_params["130m"]
            Assert.Equal(20.0 * 134_217_728, p.D); // 1x Chinchilla
            Assert.Equal(128, p.BatchSizeSequences);
            Assert.Equal(128 * 4096, p.BatchTokens);
            Assert.Equal(5120, p.Iterations); // D // (4096 x 128)
            Assert.Equal(2000, p.WarmupSteps);
            Assert.Equal(0, p.MinLrRatio);
            Assert.Equal("adamw", p.Configuration);
            Assert.True(double.IsNaN(p.SmoothLoss));
        });
        Assert.Equal("sweep-130m-2B-adamw79cde5lr0.004-wd0.1-minlr0-warmup2000-b10.9-b-019ae3", cell.Points[1].Name);
        Assert.EndsWith(":19", cell.Points[1].Source, StringComparison.Ordinal);
    }

    [Fact]
    public void The_schedule_is_the_rows_own_warmup_then_cosine_to_its_final_ratio()
    {
        var p = MarinSweepReader.Read([Real]).Points[0] with { WarmupSteps = 1000, MinLrRatio = 0.1 };
        var lr = new SweepScheduleAssumption().LrOf(p); // the table-wide assumption (2,000 warmup, 1e-5 floor) is not used
        Assert.Equal(0.008 * 500 / 1000, lr(500), 15);
        Assert.Equal(0.008, lr(1000), 15);
        Assert.Equal(0.0008 + 0.5 * (0.008 - 0.0008) * (1 + Math.Cos(Math.PI * 2060 / 4120)), lr(3060), 15);
        Assert.Equal(0.0008, lr(5120), 15);
    }

    private static string Muon => Path.Combine(AppContext.BaseDirectory, "TestData", "marin_sweep", "hyperparam_tables_muon_head.tex");

    [Fact]
    public void A_muon_table_gives_its_matrix_lr_rows_with_their_wsd_schedule()
    {
        // The Muon 130m 1x table (PhaseI, same commit, unchanged): 33 rows, of which the baseline (eta 0.016) and rows 15-18 change eta alone
        // (eta_adam, the embeddings' and head's LR, stays 0.0032); rows 1-2 change eta_adam alone and are not read.
        Assert.True(MarinSweepReader.Recognizes(Muon));
        var cell = Assert.Single(MarinSweepReader.Read([Muon]).Cells);
        Assert.Equal([(0.016, 3.464), (0.008, 3.491), (0.032, 3.484), (0.064, 3.535), (0.128, 3.688)], cell.Points.Select(p => (p.LearningRate, p.Loss)).ToList());
        Assert.All(cell.Points, p =>
        {
            Assert.Equal("muon", p.Configuration);
            Assert.Equal(5120, p.Iterations);
            Assert.Equal(0, p.WarmupSteps);
            Assert.Equal(0, p.MinLrRatio);
            Assert.Equal(0.8, p.DecayFraction); // "Decay (WSD)"
            Assert.True(p.LinearDecay); // "Schedule" linear
        });
        Assert.Equal("sweep-130m-2B-muon60167clr0.008-wd0.1-minlr0-warmup0-b10.8-b20.9-9ba062", cell.Points[1].Name);
    }

    [Fact]
    public void A_wsd_run_holds_its_peak_then_decays_linearly_over_its_last_fraction()
    {
        // Levanter's lr_scheduler with warmup 0, decay 0.8, lr_schedule linear, min_lr_ratio 0 on 5,120 steps: the peak for 1,024 steps,
        // then linear to 0 over floor(0.8 x 5120) = 4,096 steps.
        var p = MarinSweepReader.Read([Muon]).Points[0];
        var lr = new SweepScheduleAssumption().LrOf(p);
        Assert.Equal(0.016, lr(1), 15);
        Assert.Equal(0.016, lr(1024), 15);
        Assert.Equal(0.016 * (1 - 1024.0 / 4096), lr(2048), 15);
        Assert.Equal(0, lr(5120), 15);
        // With a warmup and a cosine shape: warmup 500, the peak to step 1,024, then cosine to 0.1 x peak.
        var cos = new SweepScheduleAssumption().LrOf(p with { WarmupSteps = 500, MinLrRatio = 0.1, LinearDecay = false });
        Assert.Equal(0.016 * 250 / 500, cos(250), 15);
        Assert.Equal(0.016, cos(1000), 15);
        Assert.Equal(0.0016 + (0.016 - 0.0016) * (1 + Math.Cos(Math.PI * 0.5)) / 2, cos(1024 + 2048), 15);
        // A decay fraction of 1 with no warmup is the linear decay over every step.
        Assert.Equal(0.016 * 0.75, new SweepScheduleAssumption().LrOf(p with { DecayFraction = 1 })(1280), 15);
    }

    [Fact]
    public void A_loss_printed_as_nan_is_a_diverged_run_and_a_bad_schedule_or_decay_is_refused()
    {
        string text = File.ReadAllText(Muon);
        // Lion's 130m 8x table (same commit) prints its 0.008 run's loss as "NaN".
        var nan = MarinSweepReader.Read([_tmp.File("nan.tex", text.Replace("& 3.688 &", "& NaN &", StringComparison.Ordinal))]);
        Assert.Equal(double.PositiveInfinity, nan.Points.Single(p => p.LearningRate == 0.128).Loss);
        var shape = _tmp.File("shape.tex", text.Replace("& 0.016 & linear &", "& 0.016 & rsqrt &", StringComparison.Ordinal));
        Assert.Contains("the schedule 'rsqrt'", Assert.Throws<RunFormatException>(() => MarinSweepReader.Read([shape])).Message, StringComparison.Ordinal);
        var decay = _tmp.File("decay.tex", text.Replace("0.98 & 0.8 & 1e-15", "0.98 & 2 & 1e-15", StringComparison.Ordinal));
        Assert.Contains("the decay fraction 2 is not a fraction", Assert.Throws<RunFormatException>(() => MarinSweepReader.Read([decay])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_without_a_final_lr_column_takes_the_ratio_from_the_run_names()
    {
        // The layout of Sophia's tables (PhaseI, same commit): no $\eta_{min}$ column; the names say -minlr0-. Rows cut to the baseline and the LR rows.
        const string head = "\\caption{Hyperparameter ablation for Sophia on 130m on 1x Chinchilla Data}\n\\begin{tabular}{cccccccccc}\n\\toprule\n"
            + "$\\beta_1$ & $\\beta_2$ & $\\epsilon$ & $\\gamma$ & $\\eta$ & $\\mathrm{BSZ}$ & $\\mathrm{warmup}$ & $\\lambda$ & Loss & Link \\\\\n\\midrule\n";
        const string rows = "0.95 & 0.9 & 1e-07 & 0.0125 & 0.004 & 128 & 4000 & 0 & 3.544 & \\href{https://wandb.ai/stanford-mercury/optimizer-scaling/runs/sweep-130m-2B-sophiag67fd60lr0.004-wd0-minlr0-warmup4000-b10.95--7bdb33}{0} \\\\\n\\midrule\n"
            + "-- & -- & -- & -- & 0.002 & -- & -- & -- & 3.551 & \\href{https://wandb.ai/stanford-mercury/optimizer-scaling/runs/sweep-130m-2B-sophiau26b00blr0.002-wd0-minlr0-warmup4000-b10.95--5fe952}{1} \\\\\n"
            + "-- & -- & -- & -- & 0.016 & -- & -- & -- & 7.769 & \\href{https://wandb.ai/stanford-mercury/optimizer-scaling/runs/sweep-130m-2B-sophiag08e619lr0.016-wd0-minlr0-warmup4000-b10.95--9a3c93}{3} \\\\\n\\bottomrule\n\\end{tabular}\n";
        var cell = Assert.Single(MarinSweepReader.Read([_tmp.File("sophia.tex", head + rows)]).Cells);
        Assert.Equal([(0.004, 3.544), (0.002, 3.551), (0.016, 7.769)], cell.Points.Select(p => (p.LearningRate, p.Loss)).ToList());
        Assert.All(cell.Points, p =>
        {
            Assert.Equal(0, p.MinLrRatio);
            Assert.Equal(4000, p.WarmupSteps);
            Assert.Equal("sophia", p.Configuration);
            Assert.Null(p.DecayFraction);
        });
        var none = _tmp.File("none.tex", head + rows.Replace("-minlr0-", "-", StringComparison.Ordinal));
        Assert.Contains("states no final LR ratio", Assert.Throws<RunFormatException>(() => MarinSweepReader.Read([none])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_loss_printed_as_above_10_is_a_diverged_run_of_infinite_loss()
    {
        // NAdamW's 130m 1x table (same commit) prints its 0.032 run's loss as ">10".
        var path = _tmp.File("gt10.tex", File.ReadAllText(Real).Replace("& 7.781 &", "& >10 &", StringComparison.Ordinal));
        var cell = Assert.Single(MarinSweepReader.Read([path]).Cells);
        Assert.Equal(double.PositiveInfinity, cell.Points.Single(p => p.LearningRate == 0.032).Loss);
        Assert.Equal(0.008, cell.Best.LearningRate);
    }

    [Fact]
    public void A_repeated_table_a_repeated_lr_and_an_unknown_size_are_errors()
    {
        string text = File.ReadAllText(Real);
        var twice = _tmp.File("twice.tex", text + text);
        Assert.Contains("repeated", Assert.Throws<RunFormatException>(() => MarinSweepReader.Read([twice])).Message, StringComparison.Ordinal);

        var lr = _tmp.File("lr.tex", text.Replace("-- & -- & -- & 0.016 &", "-- & -- & -- & 0.004 &", StringComparison.Ordinal));
        Assert.Contains("repeats", Assert.Throws<RunFormatException>(() => MarinSweepReader.Read([lr])).Message, StringComparison.Ordinal);

        var size = _tmp.File("size.tex", text.Replace("on 130m on", "on 140m on", StringComparison.Ordinal));
        Assert.Contains("140m", Assert.Throws<RunFormatException>(() => MarinSweepReader.Read([size])).Message, StringComparison.Ordinal);

        var cells = _tmp.File("cells.tex", text.Replace("0.9 & 0.98 & 1e-20 & 0.008 & 1 &", "0.9 & 0.98 & 1e-20 & 0.008 &", StringComparison.Ordinal));
        Assert.Contains("10 cells", Assert.Throws<RunFormatException>(() => MarinSweepReader.Read([cells])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rows_that_change_the_warmup_or_the_batch_alone_are_single_changes_with_their_own_schedule()
    {
        // The AdamW 130m 1x table: row 13 changes BSZ alone (256: 3.611), rows 14-16 the warmup alone (500: 7.452, diverged; 1000: 3.532,
        // 4000: 3.575); no row changes eta_min alone. Rows that change beta1, beta2, eps, grad norm or weight decay are not single changes read here.
        var rows = MarinSweepReader.ReadSingleChanges([Real]);
        Assert.Equal([(MarinChange.Batch, 256.0, 2000, 3.611), (MarinChange.Warmup, 128, 500, 7.452), (MarinChange.Warmup, 128, 1000, 3.532), (MarinChange.Warmup, 128, 4000, 3.575)],
            rows.Select(r => (r.Change, r.Row.BatchSizeSequences, r.Row.WarmupSteps ?? -1, r.Row.Loss)).ToList());
        var baseline = MarinSweepReader.Read([Real]).Points[0];
        Assert.All(rows, r =>
        {
            Assert.Equal(baseline, r.Baseline); // the same point Read gives
            Assert.Equal((baseline.N, baseline.D, baseline.LearningRate, baseline.MinLrRatio, "adamw"), (r.Row.N, r.Row.D, r.Row.LearningRate, r.Row.MinLrRatio, r.Row.Configuration));
        });
        var batch = rows[0].Row;
        Assert.Equal((256 * 4096.0, 2560), (batch.BatchTokens, batch.Iterations)); // D // (4096 x 256): half the baseline's 5,120 steps
        Assert.Equal("sweep-130m-2B-adamw7fa927lr0.008-wd0.1-minlr0-warmup2000-b10.9-b-8cb11e", batch.Name);
        Assert.EndsWith(":24", batch.Source, StringComparison.Ordinal);
        Assert.Equal(5120, rows[1].Row.Iterations);
        // Read's points are the baseline and LR rows only, as before.
        Assert.Equal([0.008, 0.004, 0.016, 0.032], MarinSweepReader.Read([Real]).Points.Select(p => p.LearningRate).ToList());
    }

    [Fact]
    public void A_batch_row_with_no_step_is_refused_naming_its_line()
    {
        // 1,000,000 sequences of 4,096 tokens exceed the table's D (2.6B tokens): 0 steps, refused here rather than later without the input's name.
        var huge = _tmp.File("huge.tex", File.ReadAllText(Real).Replace("-- & -- & 256 & -- & -- & 3.611", "-- & -- & 1000000 & -- & -- & 3.611", StringComparison.Ordinal));
        var e = Assert.Throws<RunFormatException>(() => MarinSweepReader.ReadSingleChanges([huge]));
        Assert.Contains("huge.tex:24", e.Message, StringComparison.Ordinal);
        Assert.Matches(@"the run has no step \(D / batch tokens = 0\.6\d*\): the batch 1000000 exceeds the table's 2\.\d+E\+09 tokens\.", e.Message);
    }

    [Fact]
    public void Muons_batch_rows_keep_its_wsd_schedule_and_a_min_lr_row_is_read_from_a_variant()
    {
        var rows = MarinSweepReader.ReadSingleChanges([Muon]);
        Assert.Equal([256.0, 512, 1024], rows.Select(r => r.Row.BatchSizeSequences).ToList());
        Assert.All(rows, r => Assert.Equal((MarinChange.Batch, 0.016, 0.8, true), (r.Change, r.Row.LearningRate, r.Row.DecayFraction, r.Row.LinearDecay)));
        Assert.Equal([2560, 1280, 640], rows.Select(r => r.Row.Iterations).ToList());
        // No table has a row changing eta_min alone: one made from the AdamW table (row 17, weight decay 0 -> eta_min 0.1) is read as one.
        string text = File.ReadAllText(Real).Replace("-- & -- & -- & -- & -- & -- & -- & -- & 0 & 3.545", "-- & -- & -- & -- & -- & 0.1 & -- & -- & -- & 3.545", StringComparison.Ordinal);
        var min = Assert.Single(MarinSweepReader.ReadSingleChanges([_tmp.File("minlr.tex", text)]), r => r.Change == MarinChange.MinLr);
        Assert.Equal((0.1, 2000, 128.0, 3.545), (min.Row.MinLrRatio, min.Row.WarmupSteps, min.Row.BatchSizeSequences, min.Row.Loss));
    }
}
