using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary>
/// <c>hyperlaws transfer</c> end to end: the budget-transfer table of lmo-scaling.md (r = T/T0), batch
/// rounding and the re-derivation of eta and alpha for the rounded batch, validity flags and bad input.
/// </summary>
public sealed class TransferCommandTests
{
    private const string From1BTo100B = "--from-tokens 1e9 --lr 3e-3 --momentum 0.9 --batch 256 --to-tokens 1e11";
    private const double R = 100;

    private static JsonObject Transfer(string regime, string extra = "") =>
        Cli.RunJson($"transfer --regime {regime} {From1BTo100B} {extra} --json");

    private static string[] Warnings(JsonObject json) => [.. json["warnings"]!.AsArray().Select(w => w!.GetValue<string>())];

    [Fact]
    public void Fixed_momentum_grows_the_batch_as_sqrt_r_and_shrinks_eta_as_r_to_minus_one_quarter()
    {
        var json = Transfer("fixed-momentum");

        Assert.Equal("fixed-momentum", json["regime"]!.GetValue<string>());
        Assert.Equal(2560, JsonAssert.Number(json, "batchSize"), 9);          // 256 * 100^(1/2)
        JsonAssert.Close(json, "learningRate", 3e-3 * Math.Pow(R, -0.25), 1e-12);
        JsonAssert.Close(json, "momentum", 0.9, 1e-12);
        JsonAssert.Close(json, "iterations", 1e11 / 2560, 1e-12);
        JsonAssert.Close(json, "ratio", R, 1e-12);
        JsonAssert.Close(json, "proxyRatio", Math.Pow(R, -0.25), 1e-12);
        Assert.True(json["valid"]!.GetValue<bool>());
        Assert.Empty(Warnings(json));
        Assert.Equal(0.5, JsonAssert.Number(json["exponents"], "batchSize"));
        Assert.Equal(-0.25, JsonAssert.Number(json["exponents"], "learningRate"));
        // The source hyperparameters are echoed back.
        Assert.Equal(256, JsonAssert.Number(json["source"], "batchSize"));
        Assert.Equal(3e-3, JsonAssert.Number(json["source"], "learningRate"));
    }

    [Fact]
    public void Joint_rounds_the_batch_and_rederives_alpha_and_eta_for_it()
    {
        var json = Transfer("joint");

        double ruleBatch = 256 * Math.Pow(R, 1.0 / 6);                       // 551.54
        double batch = Math.Round(ruleBatch);                                 // 552
        double q = batch / ruleBatch;                                         // on the ridge alpha ~ b and eta ~ b at fixed T
        double alpha = 0.1 * Math.Pow(R, -1.0 / 3) * q;
        double eta = 3e-3 * Math.Pow(R, -7.0 / 12) * q;

        Assert.Equal(552, batch);
        JsonAssert.Close(json, "ruleBatch", ruleBatch, 1e-12);
        Assert.Equal(batch, JsonAssert.Number(json, "batchSize"));
        JsonAssert.Close(json, "alpha", alpha, 1e-12);
        JsonAssert.Close(json, "momentum", 1 - alpha, 1e-12);
        JsonAssert.Close(json, "learningRate", eta, 1e-12);
        JsonAssert.Close(json, "iterations", 1e11 / batch, 1e-12);
        Assert.True(json["valid"]!.GetValue<bool>());
    }

    [Fact]
    public void Fixed_batch_keeps_the_batch_and_scales_alpha_and_eta()
    {
        var json = Transfer("fixed-batch");

        Assert.Equal(256, JsonAssert.Number(json, "batchSize"));
        JsonAssert.Close(json, "alpha", 0.1 * Math.Pow(R, -0.5), 1e-12);
        JsonAssert.Close(json, "learningRate", 3e-3 * Math.Pow(R, -0.75), 1e-12);
        Assert.True(json["valid"]!.GetValue<bool>());
    }

    [Fact]
    public void Fixed_batch_in_reverse_flags_alpha_above_one_as_invalid()
    {
        // alpha0 = 0.5 and r = 1/100: the rule gives alpha = 0.5 * 10 = 5 > 1.
        var json = Cli.RunJson("transfer --regime fixed-batch --from-tokens 1e11 --lr 3e-3 --momentum 0.5 --batch 256 --to-tokens 1e9 --json");

        Assert.False(json["valid"]!.GetValue<bool>());
        Assert.Contains(Warnings(json), w => w.Contains("alpha", StringComparison.Ordinal) && w.Contains("> 1", StringComparison.Ordinal));
        Assert.Contains(Warnings(json), w => w.Contains("smaller than the source", StringComparison.Ordinal));
        Assert.Equal(1, JsonAssert.Number(json, "alpha"));   // clipped
        Assert.Equal(0, JsonAssert.Number(json, "momentum"));
        JsonAssert.Close(json, "ratio", 0.01, 1e-12);
    }

    [Theory]
    [InlineData("fixed-momentum")]
    [InlineData("joint")]
    [InlineData("fixed-batch")]
    public void Batch_multiple_rounds_to_a_multiple(string regime)
    {
        var json = Transfer(regime, "--batch-multiple 64");

        double batch = JsonAssert.Number(json, "batchSize");
        Assert.True(batch >= 64 && batch % 64 == 0, $"batch {batch} is not a positive multiple of 64");
        Assert.True(Math.Abs(batch - JsonAssert.Number(json, "ruleBatch")) <= 32, "rounded to the nearest multiple");
        JsonAssert.Close(json, "iterations", 1e11 / batch, 1e-12);
    }

    [Fact]
    public void Batch_multiple_for_joint_moves_552_to_576_and_scales_eta_with_it()
    {
        var plain = Transfer("joint");
        var rounded = Transfer("joint", "--batch-multiple 64");

        Assert.Equal(576, JsonAssert.Number(rounded, "batchSize"));
        double q = 576 / 552.0;
        JsonAssert.Close(rounded, "learningRate", JsonAssert.Number(plain, "learningRate") * q, 1e-12);
        JsonAssert.Close(rounded, "alpha", JsonAssert.Number(plain, "alpha") * q, 1e-12);
    }

    [Fact]
    public void Fixed_momentum_rounding_scales_eta_as_the_square_root_of_the_batch_change()
    {
        // The rule gives 2560; 2560 / 1024 = 2.5 rounds away from zero, to 3 * 1024 = 3072.
        var json = Transfer("fixed-momentum", "--batch-multiple 1024");

        Assert.Equal(3072, JsonAssert.Number(json, "batchSize"));
        JsonAssert.Close(json, "learningRate", 3e-3 * Math.Pow(R, -0.25) * Math.Sqrt(3072 / 2560.0), 1e-12);
        JsonAssert.Close(json, "momentum", 0.9, 1e-12);
        Assert.Contains(Warnings(json), w => w.Contains("rounding", StringComparison.Ordinal));
    }

    [Fact]
    public void No_round_keeps_the_rule_batch()
    {
        var json = Transfer("joint", "--no-round");

        JsonAssert.Close(json, "batchSize", 256 * Math.Pow(R, 1.0 / 6), 1e-12);
        JsonAssert.Close(json, "learningRate", 3e-3 * Math.Pow(R, -7.0 / 12), 1e-12);
    }

    [Fact]
    public void Sequence_length_divides_the_iterations()
    {
        var tokens = Transfer("fixed-momentum");
        var sequences = Transfer("fixed-momentum", "--seq-len 2048");

        JsonAssert.Close(sequences, "iterations", JsonAssert.Number(tokens, "iterations") / 2048, 1e-12);
        Assert.Equal(JsonAssert.Number(tokens, "batchSize"), JsonAssert.Number(sequences, "batchSize"));
        Assert.Equal(JsonAssert.Number(tokens, "learningRate"), JsonAssert.Number(sequences, "learningRate"));
    }

    [Fact]
    public void Ridge_path_uses_the_given_exponent()
    {
        var json = Transfer("ridge", "--ridge-exponent 0.25 --no-round");

        JsonAssert.Close(json, "batchSize", 256 * Math.Pow(R, 0.25), 1e-12);
        JsonAssert.Close(json, "alpha", 0.1 * Math.Pow(R, 0.25 - 0.5), 1e-12);
        JsonAssert.Close(json, "learningRate", 3e-3 * Math.Pow(R, 0.25 - 0.75), 1e-12);
    }

    [Fact]
    public void Lr_only_keeps_batch_and_momentum_and_warns_about_the_noise_floor()
    {
        var json = Transfer("lr-only");

        Assert.Equal(256, JsonAssert.Number(json, "batchSize"));
        JsonAssert.Close(json, "momentum", 0.9, 1e-12);
        JsonAssert.Close(json, "learningRate", 3e-3 / 10, 1e-12);
        Assert.Null(json["proxyRatio"]);
        Assert.Contains(Warnings(json), w => w.Contains("noise floor", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_json_prints_the_rule_table()
    {
        var r = Cli.Run($"transfer --regime joint {From1BTo100B}");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        Assert.Contains("r = 100", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("552", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("valid: yes", r.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--regime joint --from-tokens 1e9 --lr 3e-3 --momentum 1.5 --batch 256 --to-tokens 1e11", "momentum")]
    [InlineData("--regime joint --from-tokens 1e9 --lr -3e-3 --momentum 0.9 --batch 256 --to-tokens 1e11", "--lr: ")]
    [InlineData("--regime joint --from-tokens 1e9 --lr 0 --momentum 0.9 --batch 256 --to-tokens 1e11", "--lr: ")]
    [InlineData("--regime joint --from-tokens 0 --lr 3e-3 --momentum 0.9 --batch 256 --to-tokens 1e11", "--from-tokens: ")]
    [InlineData("--regime joint --from-tokens 1e9 --lr 3e-3 --momentum 0.9 --batch 256 --to-tokens -1", "--to-tokens: ")]
    [InlineData("--regime joint --from-tokens 1e9 --lr 3e-3 --momentum 0.9 --batch 0.5 --to-tokens 1e11", "batch")]
    [InlineData("--regime joint --from-tokens 1e9 --lr 3e-3 --momentum 0.9 --batch 256 --to-tokens 1e11 --batch-multiple 0", "multiple")]
    [InlineData("--regime joint --from-tokens 1e9 --lr 3e-3 --momentum 0.9 --batch 256 --to-tokens 1e11 --batch-multiple 64 --no-round", "--no-round")]
    [InlineData("--regime joint --from-tokens 1e9 --lr 3e-3 --momentum 0.9 --batch 256 --to-tokens 1e11 --seq-len 0", "--seq-len: ")]
    [InlineData("--regime ridge --from-tokens 1e9 --lr 3e-3 --momentum 0.9 --batch 256 --to-tokens 1e11", "--ridge-exponent")]
    [InlineData("--regime joint --from-tokens 1e9 --lr 3e-3 --momentum 0.9 --batch 256", "--to-tokens")]
    [InlineData("--regime joint --from-tokens 1e9 --momentum 0.9 --batch 256 --to-tokens 1e11", "--lr")]
    [InlineData("--regime joint --from-tokens 1e9 --lr 3e-3 --momentum 0.9 --batch 256 --to-tokens ten", "--to-tokens")]
    [InlineData("--from-tokens 1e9 --lr 3e-3 --momentum 0.9 --batch 256 --to-tokens 1e11", "--regime")]
    public void Bad_input_is_one_line_naming_the_problem(string arguments, string mentioned)
    {
        string line = Cli.Run("transfer " + arguments).AssertUsageError();
        Assert.Contains(mentioned, line, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Fixed_lr_is_not_a_transfer_regime()
    {
        var r = Cli.Run($"transfer --regime fixed-lr {From1BTo100B}");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Contains("fixed-lr", r.Stderr, StringComparison.Ordinal);
    }
}
