namespace AutoLoss.Core.Teaching.Ala;

/// <summary>ALA's reward (the paper's equation 5): a discounted window of the validation metric, and the sign of its change.</summary>
internal static class AlaReward
{
    /// <summary>M_{t+1} = sum_j gamma^{n-j} M_j / sum_j gamma^{n-j} over the window's measurements M_1..M_n (the last
    /// weighs most). Normalised to a weighted mean, which leaves the reward's sign unchanged and keeps M in the
    /// metric's units.</summary>
    /// <exception cref="ArgumentException">The window is empty.</exception>
    public static double DiscountedWindow(IReadOnlyList<double> measurements, double gamma)
    {
        if (measurements.Count == 0) throw new ArgumentException("A reward window needs at least one validation measurement.", nameof(measurements));
        double sum = 0, weights = 0;
        for (int j = 0; j < measurements.Count; j++)
        {
            double w = Math.Pow(gamma, measurements.Count - 1 - j);
            sum += w * measurements[j];
            weights += w;
        }
        return sum / weights;
    }

    /// <summary>r_t = sign(M_t - M_{t+1}) for a metric where lower is better (+1 when the window improved), and
    /// sign(M_{t+1} - M_t) when <paramref name="higherIsBetter"/>.</summary>
    public static double Sign(double previousWindow, double currentWindow, bool higherIsBetter) =>
        Math.Sign(higherIsBetter ? currentWindow - previousWindow : previousWindow - currentWindow);
}
