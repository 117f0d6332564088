namespace HyperLaws.Fitting.Internal;

/// <summary>
/// SplitMix64 (Steele, Lea &amp; Flood 2014, "Fast splittable pseudorandom number generators"; the
/// constants of Vigna's reference code): state += 0x9E3779B97F4A7C15, output = mix(state). Written out
/// here, not System.Random, so a seed gives the same stream on every runtime and platform.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// A whole number in [0, n): the high 64 bits of next * n (Lemire 2019, without the rejection step;
    /// the bias is below n / 2^64, far under anything a bootstrap of a few hundred replicates can see).
    /// </summary>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        return (int)Math.BigMul(Next(), (ulong)n, out _);
    }

    /// <summary>One seed per replicate: the first <paramref name="count"/> outputs of the stream started at <paramref name="seed"/>.</summary>
    public static ulong[] Seeds(long seed, int count)
    {
        var rng = new SplitMix64(unchecked((ulong)seed));
        var seeds = new ulong[count];
        for (int i = 0; i < count; i++) seeds[i] = rng.Next();
        return seeds;
    }
}
