using Xunit;

namespace HyperLaws.Readers.Tests.Hostile;

/// <summary>Broken trainer_state.json files: each is one line naming the file, where in it, and the problem.</summary>
public sealed class TrainerStateHostileTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static RunFormatException Refused(string path)
    {
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path));
        Assert.StartsWith(path + ":", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    [Fact]
    public void A_real_file_cut_in_half_is_truncated_json()
    {
        string text = File.ReadAllText(TrainerStateReaderTests.Real("metamath"));
        string path = _tmp.File("trainer_state.json", text[..(text.Length / 2)]);
        Assert.Contains("invalid or truncated JSON", Refused(path).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_log_history()
    {
        // Recognised by its name inside a run folder layout, or by global_step + log_history: without log_history the file
        // is not a trainer state, so the .json dispatch names both formats it could have been.
        string path = _tmp.File("state.json", "{\"global_step\": 10, \"max_steps\": 10}");
        Assert.Contains("trainer_state.json (no \"log_history\"/\"global_step\")", Refused(path).Message, StringComparison.Ordinal);
        var e = Assert.Throws<RunFormatException>(() => TrainerStateReader.Read(path));
        Assert.Equal($"{path}:log_history: missing: not a Hugging Face trainer_state.json, or one saved before anything was logged.", e.Message);
    }

    [Fact]
    public void No_loss_names_the_losses_that_are_there()
    {
        string path = _tmp.File("state.json", "{\"global_step\": 20, \"log_history\": [{\"eval_loss\": 2.0, \"step\": 10}, {\"train_runtime\": 5.0, \"step\": 20}]}");
        Assert.Equal($"{path}:log_history: no entry logs 'loss' (2 entries; losses logged: eval_loss).", Refused(path).Message);
    }

    [Fact]
    public void An_entry_without_a_step()
    {
        string path = _tmp.File("state.json", "{\"global_step\": 20, \"log_history\": [{\"loss\": 2.0, \"learning_rate\": 1e-3, \"step\": 10}, {\"loss\": 1.9, \"learning_rate\": 1e-3}]}");
        Assert.Equal($"{path}:log_history[1]: an entry with a loss or learning rate has no \"step\".", Refused(path).Message);
    }

    [Fact]
    public void Log_history_that_is_not_a_list()
    {
        string path = _tmp.File("state.json", "{\"global_step\": 20, \"log_history\": {\"loss\": 2.0}}");
        Assert.Equal($"{path}:log_history: expected a list of logged entries, found an object.", Refused(path).Message);
    }

    [Fact]
    public void A_step_beyond_global_step()
    {
        string path = _tmp.File("state.json", "{\"global_step\": 20, \"log_history\": [{\"loss\": 2.0, \"learning_rate\": 1e-3, \"step\": 10}, {\"loss\": 1.9, \"learning_rate\": 1e-3, \"step\": 30}]}");
        Assert.Equal($"{path}:log_history[1]: step 30 is logged, beyond global_step = 20 (the file is inconsistent).", Refused(path).Message);
    }

    [Fact]
    public void A_loss_that_is_text()
    {
        string path = _tmp.File("state.json", "{\"global_step\": 20, \"log_history\": [{\"loss\": \"high\", \"learning_rate\": 1e-3, \"step\": 10}]}");
        Assert.Equal($"{path}:log_history[0].loss: expected a number, found the string \"high\".", Refused(path).Message);
    }

    [Fact]
    public void A_run_that_starts_with_nan()
    {
        string path = _tmp.File("state.json", "{\"global_step\": 20, \"log_history\": [{\"loss\": NaN, \"learning_rate\": 1e-3, \"step\": 10}, {\"loss\": 1.9, \"learning_rate\": 1e-3, \"step\": 20}]}");
        Assert.Contains("before any finite loss", Refused(path).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_a_trainer_state_is_not_a_run()
    {
        Directory.CreateDirectory(Path.Combine(_tmp.Path, "checkpoint-10"));
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(_tmp.Path));
        Assert.Contains("is a directory", e.Message, StringComparison.Ordinal);
    }
}
