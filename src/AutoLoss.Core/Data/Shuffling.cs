namespace AutoLoss.Core.Data;

/// <summary>Deterministic per-epoch orders: the same (seed, epoch) always yields the same order, so a
/// seeded run is bit-reproducible on CPU.</summary>
public static class Shuffling
{
    /// <summary>A random generator for one epoch of one run.</summary>
    public static Random ForEpoch(int seed, int epoch) => new(unchecked(seed * 1_000_003 + epoch * 7_919 + 17));

    /// <summary>A Fisher-Yates permutation of 0..n-1 for (seed, epoch).</summary>
    public static long[] Permutation(int n, int seed, int epoch)
    {
        var order = new long[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var random = ForEpoch(seed, epoch);
        for (int i = n - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
