namespace AutoLoss.Core.Search;

/// <summary>
/// Derives each trial's seed from the search seed and the trial id alone, so a trial's randomness does not depend on
/// which trials ran before it, how many ran at once, or on which machine it runs.
/// </summary>
public static class TrialSeed
{
    /// <summary>A non-negative seed for trial <paramref name="trialId"/> of a search seeded with <paramref name="searchSeed"/>.
    /// Neighbouring ids and seeds give unrelated values (a SplitMix64 finaliser over both numbers).</summary>
    public static int Derive(int searchSeed, int trialId)
    {
        ulong z = ((ulong)(uint)searchSeed << 32) | (uint)trialId;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & int.MaxValue);
    }
}
