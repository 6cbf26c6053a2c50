namespace AutoLoss.ML.Data;

/// <summary>
/// Decides which rows are held out as validation data from their position and the seed alone, so
/// the split is reproducible and needs no pass over the data: a streaming epoch can skip held-out
/// rows as it meets them.
/// </summary>
internal readonly struct HoldOut(double fraction, int seed)
{
    /// <summary>Fraction of rows held out.</summary>
    public double Fraction { get; } = fraction;

    /// <summary>True when the row at <paramref name="position"/> belongs to the validation set.</summary>
    public bool Contains(long position)
    {
        if (Fraction <= 0) return false;
        // SplitMix64 of (seed, position): a fast, well-mixed hash mapped to [0, 1).
        ulong z = unchecked((ulong)position + 0x9E3779B97F4A7C15UL * (ulong)(uint)seed + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53)) < Fraction;
    }
}
