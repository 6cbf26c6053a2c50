namespace AutoLoss.Core.Losses;

/// <summary>
/// Log-loss after temperature scaling: min over beta &gt;= 0 of mean_i [logsumexp(beta z_i) - beta z_i,y_i], the
/// log-loss the logits z would have with their best single temperature 1 / beta. It measures how well the classes are
/// separated, not how confident the logits are: shrinking the logits (as L1 or any weight penalty does) leaves it
/// unchanged, while plain log-loss rises. The function of beta is convex (logsumexp is convex, the other term linear),
/// so a doubling scan brackets the minimum and a golden-section search refines it.
/// </summary>
public static class TemperatureScaledLogLoss
{
    private const double MaxBeta = 1 << 14;

    /// <summary>The temperature-scaled log-loss of <paramref name="logits"/> (row-major, rows x
    /// <paramref name="classes"/>) for class indices <paramref name="labels"/>, and the beta that attains it.</summary>
    /// <exception cref="ArgumentException">The sizes disagree, there are no rows or fewer than 2 classes, or a label is out of range.</exception>
    public static (double LogLoss, double Beta) Compute(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes)
    {
        if (classes < 2) throw new ArgumentException($"Log-loss needs at least 2 classes; {classes} were given.", nameof(classes));
        if (labels.Length == 0 || logits.Length != labels.Length * classes)
            throw new ArgumentException($"{logits.Length} logits do not form {labels.Length} rows of {classes} classes (and at least one row).", nameof(logits));
        foreach (int y in labels)
            if ((uint)y >= (uint)classes) throw new ArgumentException($"Label {y} is not a class index in [0, {classes}).", nameof(labels));

        var z = logits.ToArray();
        var ys = labels.ToArray();
        double At(double beta) => MeanLoss(z, ys, classes, beta);

        // Doubling scan from a small beta: the convex loss decreases until the bracket [beta / 2, beta * 2] holds its minimum.
        double best = 1.0 / 64, bestValue = At(best);
        for (double beta = best * 2; beta <= MaxBeta; beta *= 2)
        {
            double value = At(beta);
            if (value >= bestValue) break;
            (best, bestValue) = (beta, value);
        }
        double lo = best / 2, hi = Math.Min(best * 2, MaxBeta);
        double ratio = (Math.Sqrt(5) - 1) / 2;
        double a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo), fa = At(a), fb = At(b);
        for (int i = 0; i < 40; i++)
        {
            if (fa < fb) { hi = b; b = a; fb = fa; a = hi - ratio * (hi - lo); fa = At(a); }
            else { lo = a; a = b; fa = fb; b = lo + ratio * (hi - lo); fb = At(b); }
        }
        // The smallest of the refined point, the scan's best and beta = 0 (uniform probabilities, below the scan's start).
        var result = fa < fb ? (LogLoss: fa, Beta: a) : (LogLoss: fb, Beta: b);
        if (bestValue < result.LogLoss) result = (bestValue, best);
        return Math.Log(classes) < result.LogLoss ? (Math.Log(classes), 0) : result;
    }

    private static double MeanLoss(float[] z, int[] labels, int classes, double beta)
    {
        double sum = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            int row = i * classes;
            double max = double.NegativeInfinity;
            for (int j = 0; j < classes; j++) max = Math.Max(max, beta * z[row + j]);
            double exp = 0;
            for (int j = 0; j < classes; j++) exp += Math.Exp(beta * z[row + j] - max);
            sum += max + Math.Log(exp) - beta * z[row + labels[i]];
        }
        return sum / labels.Length;
    }
}
