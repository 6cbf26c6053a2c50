namespace AutoLoss.Core.Teaching.Schedules;

/// <summary>
/// Renders a sequence of choice distributions p_t as a deterministic sequence of choices whose counts track the
/// accumulated probabilities (error diffusion): c_j += p_t,j for every choice j, a_t = argmax_j c_j (lowest index on a
/// tie), c_{a_t} -= 1. Since the credits always sum to 0 and the largest is taken, every c_j stays in (-1, K - 1) for K
/// choices, so after any number of steps each choice's count differs from the sum of its probabilities by less than K - 1.
/// </summary>
internal sealed class BalancedChoices
{
    private readonly double[] _credit;

    /// <summary>Starts with zero credit for <paramref name="choices"/> choices (at least 2).</summary>
    public BalancedChoices(int choices)
    {
        if (choices < 2) throw new ArgumentOutOfRangeException(nameof(choices), $"{choices} choices were given; balancing needs at least 2.");
        _credit = new double[choices];
    }

    /// <summary>The next choice for the distribution <paramref name="probabilities"/> (one non-negative, finite value per
    /// choice, summing to about 1).</summary>
    public int Next(IReadOnlyList<float> probabilities)
    {
        if (probabilities.Count != _credit.Length)
            throw new ArgumentException($"{probabilities.Count} probabilities were given for {_credit.Length} choices.", nameof(probabilities));
        int best = 0;
        for (int j = 0; j < _credit.Length; j++)
        {
            float p = probabilities[j];
            if (!(p >= 0) || !float.IsFinite(p)) throw new ArgumentException($"Probability {j} is {p}; it must be a finite number >= 0.", nameof(probabilities));
            _credit[j] += p;
            if (_credit[j] > _credit[best]) best = j;
        }
        _credit[best] -= 1;
        return best;
    }
}
