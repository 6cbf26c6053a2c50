namespace AutoLoss.ML.Datasets;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014). Used instead of <see cref="System.Random"/> because its
/// output is fixed by the algorithm, not by a runtime version, and because a generator can be
/// seeded cheaply from (seed, row index) so any row can be regenerated independently.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>A generator for one (seed, stream, index) triple; different triples give unrelated sequences.</summary>
    public static SplitMix64 For(int seed, ulong stream, ulong index)
        => new(Mix(Mix((ulong)(uint)seed ^ (stream << 32)) + index * 0x9E3779B97F4A7C15UL));

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="n"/>); the bias of the multiply-shift is below 2^-32.</summary>
    public int NextInt(int n) => (int)(((NextUInt64() >> 32) * (ulong)n) >> 32);

    /// <summary>Two independent standard normal values (Box-Muller).</summary>
    public (double, double) NextNormalPair()
    {
        double u1 = 1.0 - NextDouble(); // in (0, 1], so the logarithm is finite
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        double theta = 2.0 * Math.PI * u2;
        return (r * Math.Cos(theta), r * Math.Sin(theta));
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
