using System.Text.Json;
using HyperLaws.Schedules;
using Xunit;
using Xunit.Sdk;

namespace HyperLaws.Tests.Schedules;

/// <summary>
/// The lr-scheduling W&amp;B exports (Schaipp et al. 2025, trained with epfml/llm-baselines). Convention found:
/// the code runs opt.step(); scheduler.step(); iter += 1, then logs the optimizer's LR, so the train_lr logged
/// at iter i is the LR of update i + 1, our step t = i + 1 (the entry at iter = S is past the run). Then
/// <list type="bullet">
/// <item>"cos" is PyTorch OneCycleLR: a cosine warmup from peak/100 at step 1 to the peak at step W and our
/// cosine decay exactly (p = (t - W)/(S - W), eta_S = floor): <c>warmupShape=cosine, warmupInit=peak/100</c>;</item>
/// <item>"wsd" is a LambdaLR indexed from 0 (update t uses lambda(t - 1)): our wsd delayed by one step,
/// <c>offset=1</c>, with a linear warmup from peak/100: <c>warmupInit=peak/100</c>; C = int(fract * S).</item>
/// </list>
/// </summary>
public sealed class LrSchedulingLrTests
{
    public static TheoryData<string, string> Files => new()
    {
        { "ann124-0.2_slimpajama_llama_norm_nlayers12_nhead12_lr0.001_sched_wsd_warmup300_decay_linear_0.2_iter25000_bs50x2_ws2_seed0_data_seed1337.json",
          "wsd(peak=0.001,steps=25000,warmup=300,cooldown=0.2,shape=linear,floor=0,warmupInit=1e-5,offset=1)" },
        { "ann124-0.2_slimpajama_llama_norm_nlayers12_nhead12_lr0.0005_sched_wsd_warmup300_decay_sqrt_0.2_iter50000_bs50x2_ws2_seed0_data_seed1337.json",
          "wsd(peak=0.0005,steps=50000,warmup=300,cooldown=0.2,shape=sqrt,floor=0,warmupInit=5e-6,offset=1)" },
        { "cos-zero-124m_slimpajama_llama_norm_nlayers12_nhead12_lr0.001_sched_cos_warmup300_decay_sqrt_0.0_iter25000_bs50x2_ws2_seed0_data_seed1337.json",
          "cosine(peak=0.001,steps=25000,warmup=300,floor=1e-7,warmupShape=cosine,warmupInit=1e-5)" },
        { "cos-10-124m_slimpajama_llama_norm_nlayers12_nhead12_lr0.002_sched_cos_warmup300_decay_sqrt_0.0_iter50000_bs50x2_ws2_seed0_data_seed1337.json",
          "cosine(peak=0.002,steps=50000,warmup=300,floor=2e-4,warmupShape=cosine,warmupInit=2e-5)" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void LoggedTrainLr_IsReproduced(string file, string spec)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestData.File("lr-scheduling", "data", file)));
        var config = doc.RootElement.GetProperty("config");
        var schedule = LrSchedule.Parse(spec);
        Assert.Equal(config.GetProperty("iterations").GetInt32(), schedule.Steps);
        Assert.Equal(config.GetProperty("lr").GetDouble(), ((WarmupSchedule)schedule).Peak);
        Assert.Equal(config.GetProperty("warmup_steps").GetInt32(), ((WarmupSchedule)schedule).Warmup);

        var train = doc.RootElement.GetProperty("history").GetProperty("train");
        var iters = train.GetProperty("iter").EnumerateArray().ToArray();
        var lrs = train.GetProperty("train_lr").EnumerateArray().ToArray();
        Assert.Equal(iters.Length, lrs.Length);
        int compared = 0;
        for (int i = 0; i < iters.Length; i++)
        {
            if (iters[i].ValueKind != JsonValueKind.Number || lrs[i].ValueKind != JsonValueKind.Number) continue;
            int iter = iters[i].GetInt32();
            double lr = lrs[i].GetDouble();
            if (iter >= schedule.Steps)
            {
                Assert.Equal(schedule.Steps, iter); // the LR set after the last update; never used
                continue;
            }
            double ours = schedule.At(iter + 1);
            if (!(Math.Abs(ours - lr) <= 1e-12 * Math.Abs(lr)))
                throw new XunitException($"{file}: iter {iter} logged train_lr {lr:R}, our step {iter + 1} gives {ours:R}");
            compared++;
        }
        Assert.True(compared >= 99, $"only {compared} logged LRs compared");
    }
}
