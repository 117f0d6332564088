using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// W&amp;B runs of the two-stage horizon-extension scheduler (<c>wsd_twostage</c>): the real pair in TestData/horizon_transfer
/// (github.com/fabian-sp/lr-scheduling, MIT): a 50k WSD run and its extension to 100k, resumed from its checkpoint 40,000.
/// </summary>
public class HorizonExtensionTests
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "TestData", "horizon_transfer");

    private const string Extension = "extend-50k_slimpajama_chunk1_llama_norm_nlayers12_nhead12_lr0.001_sched_wsd_twostage_warmup300_decay_linear_0.2_iter100000_bs50x2_ws2_seed0_data_seed1337.json";

    [Fact]
    public void The_extension_is_stitched_to_its_parent_and_its_lr_matches_every_logged_value()
    {
        var set = RunReader.ReadDirectory(Folder);
        Assert.Empty(set.Failures);
        var run = Assert.Single(set.Runs, r => r.Steps == 100_000);
        Assert.Equal("40000", run.Metadata.Tags["branchStep"]);
        Assert.StartsWith("slimpajama_chunk1", run.Metadata.Tags["branchedFrom"], StringComparison.Ordinal);
        // LearningRates[k] is the LR after k scheduler steps (eta_{k+1}); values as logged by the run (train_lr).
        Assert.Equal(1e-3, run.LearningRates[40_000], 12);
        Assert.Equal(0.00097625, run.LearningRates[40_050], 12);
        Assert.Equal(0.000525, run.LearningRates[41_000], 12);
        Assert.Equal(0.000525, run.LearningRates[80_000], 12);
        Assert.Equal(0.0005236875, run.LearningRates[80_050], 12);
        // The last update's LR: 1e-3 x 0.525 x (1 - 19999/20000) (the logged 0 at iter 100000 is the LR after the last step).
        Assert.Equal(1e-3 * 0.525 / 20000, run.LearningRates[^1], 15);
        // The parent's losses up to the branch point come first.
        Assert.Contains(run.Observations, o => o.Step <= 40_000);
    }

    [Fact]
    public void A_twostage_config_that_disagrees_with_the_logged_lrs_names_the_file_and_the_step()
    {
        using var tmp = new TempDir();
        foreach (string f in Directory.GetFiles(Folder, "*.json"))
        {
            string text = File.ReadAllText(f);
            if (Path.GetFileName(f) == Extension) text = text.Replace("\"wsd_twostage_factor\": 0.525", "\"wsd_twostage_factor\": 0.53", StringComparison.Ordinal);
            tmp.File(Path.GetFileName(f), text);
        }
        var set = RunReader.ReadDirectory(tmp.Path);
        var failure = Assert.Single(set.Failures);
        Assert.StartsWith(Path.Combine(tmp.Path, Extension) + ":", failure.Message, StringComparison.Ordinal);
        Assert.Contains("logged learning rate 0.00097625 at step 40051 disagrees with the wsd_twostage schedule", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_final_evaluation_is_the_one_at_the_largest_iteration_whatever_the_lists_order()
    {
        // A resumed lr-scheduling run lists its final evaluations out of step order (sp-360m-cos-lr0.001-37500: iters [37500, 25000]);
        // the 50k run's list rewritten so: the final evaluation is still the one at 50,000, not the list's last.
        const string Run = "slimpajama_chunk1_llama_norm_nlayers12_nhead12_lr0.001_sched_wsd_warmup300_decay_linear_0.2_iter50000_bs50x2_ws2_seed0_data_seed1337.json";
        using var tmp = new TempDir();
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, Run)))!;
        var finalVal = json["history"]!["final-val"]!;
        Assert.Equal(50000, (int)finalVal["iter"]![0]!);
        finalVal["iter"] = new System.Text.Json.Nodes.JsonArray(50000, 25000);
        finalVal["final_val_loss"] = new System.Text.Json.Nodes.JsonArray(2.9606571197509766, 3.1);
        finalVal["final_val_perplexity"] = new System.Text.Json.Nodes.JsonArray(19.310618544283013, 22.2);
        string file = tmp.File(Run, json.ToJsonString());
        var run = RunReader.Read(file);
        Assert.Equal(("2.9606571197509766", "50000"), (run.Metadata.Tags["finalValLoss"], run.Metadata.Tags["finalValStep"]));
    }

    /// <summary>The extension's validation loss at its branch point 40,000 as logged: 3.1123135089874268 (its parent's is the same).</summary>
    private const string BranchVal = "3.1123135089874268";

    [Theory]
    [InlineData(1.5e-5, true)]
    [InlineData(1e-3, false)]
    public void The_branch_points_loss_may_differ_from_the_parents_by_a_re_evaluation_not_by_another_checkpoint(double relative, bool stitched)
    {
        using var tmp = new TempDir();
        string changed = (double.Parse(BranchVal, System.Globalization.CultureInfo.InvariantCulture) * (1 + relative)).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        foreach (string f in Directory.GetFiles(Folder, "*.json"))
        {
            string text = File.ReadAllText(f);
            if (Path.GetFileName(f) == Extension)
            {
                Assert.Contains(BranchVal, text, StringComparison.Ordinal);
                text = text.Replace(BranchVal, changed, StringComparison.Ordinal);
            }
            tmp.File(Path.GetFileName(f), text);
        }
        var set = RunReader.ReadDirectory(tmp.Path);
        if (stitched)
        {
            Assert.Empty(set.Failures);
            Assert.Contains(set.Runs, r => r.Steps == 100_000);
        }
        else
        {
            var failure = Assert.Single(set.Failures);
            Assert.Contains("validation loss at the branch point 40000", failure.Message, StringComparison.Ordinal);
            Assert.Contains("not the same checkpoint", failure.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_export_whose_summary_pushes_config_and_history_past_the_first_4_KiB_is_still_a_wandb_export()
    {
        // The 210M exports of lr-scheduling open with a summary of histograms several KiB long (protocol 17); here the 50k run
        // with a summary entry of 6,000 characters first.
        string file = Directory.GetFiles(Folder, "slimpajama_chunk1_*.json").Single();
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        var padded = new System.Text.Json.Nodes.JsonObject { ["summary"] = new System.Text.Json.Nodes.JsonObject { ["histogram"] = new string('0', 6000) } };
        foreach (var kv in json.ToList().Where(kv => kv.Key != "summary"))
        {
            json.Remove(kv.Key);
            padded[kv.Key] = kv.Value;
        }
        using var tmp = new TempDir();
        string path = tmp.File(Path.GetFileName(file), padded.ToJsonString());
        Assert.DoesNotContain("\"config\"", File.ReadAllText(path)[..4096], StringComparison.Ordinal);
        Assert.True(WandbReader.Recognizes(path));
        Assert.Equal(RunReader.Read(file).Observations, RunReader.Read(path).Observations);
    }

    [Fact]
    public void An_export_with_a_bare_NaN_and_config_and_history_past_the_first_4_KiB_is_recognised_and_read()
    {
        // Built from the real 50k export by padding: a summary first with a 6,000-character entry and a metric logged as Python's
        // bare NaN (json.dump writes it; Read accepts it), so Recognizes must parse the whole object as Read does.
        string file = Directory.GetFiles(Folder, "slimpajama_chunk1_*.json").Single();
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        var padded = new System.Text.Json.Nodes.JsonObject
        {
            ["summary"] = new System.Text.Json.Nodes.JsonObject { ["histogram"] = new string('0', 6000), ["grad_norm"] = "__nan__" },
        };
        foreach (var kv in json.ToList().Where(kv => kv.Key != "summary"))
        {
            json.Remove(kv.Key);
            padded[kv.Key] = kv.Value;
        }
        string text = padded.ToJsonString().Replace("\"__nan__\"", "NaN", StringComparison.Ordinal);
        Assert.Contains("\"grad_norm\":NaN", text, StringComparison.Ordinal);
        using var tmp = new TempDir();
        string path = tmp.File(Path.GetFileName(file), text);
        Assert.DoesNotContain("\"config\"", text[..4096], StringComparison.Ordinal);
        Assert.DoesNotContain("\"history\"", text[..4096], StringComparison.Ordinal);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => System.Text.Json.JsonDocument.Parse(text));   // plain JSON rejects it
        Assert.True(WandbReader.Recognizes(path));
        Assert.Equal(RunReader.Read(file).Observations, RunReader.Read(path).Observations);
    }
}
