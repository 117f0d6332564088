namespace HyperLaws.Schedules;

/// <summary>How a warmup of W steps ramps from its initial LR (warmupInit, default 0) to the peak.</summary>
public enum WarmupShape
{
    /// <summary>eta_k = init + (peak - init) k / W for k = 1..W (eta_W = peak; with init 0, eta_1 = peak / W).</summary>
    Linear,

    /// <summary>
    /// PyTorch OneCycleLR's cosine ramp: eta_k = init + (peak - init) (1 - cos(pi (k - 1) / (W - 1))) / 2
    /// for k = 1..W, so eta_1 = init and eta_W = peak (W = 1: eta_1 = peak).
    /// </summary>
    Cosine,
}
