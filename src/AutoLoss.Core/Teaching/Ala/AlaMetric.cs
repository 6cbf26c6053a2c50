using AutoLoss.Core.Teaching.Ala;
namespace AutoLoss;

/// <summary>
/// The evaluation metric M that ALA aligns the loss to, computed on validation data from the true
/// labels and the student's class probabilities. Built-ins: <see cref="ErrorRate"/> (the multiclass
/// default), <see cref="MacroF1"/>, <see cref="Cost"/> (a cost matrix) and
/// <see cref="AreaUnderPrecisionRecallCurve"/> (the binary default); or any function of (labels,
/// probabilities) through <see cref="Custom"/>.
/// </summary>
public sealed class AlaMetric
{
    private readonly Func<int[], float[][], double> _compute;

    private AlaMetric(string name, bool higherIsBetter, Func<int[], float[][], double> compute)
    {
        Name = name;
        HigherIsBetter = higherIsBetter;
        _compute = compute;
    }

    /// <summary>Name used in logs and reports.</summary>
    public string Name { get; }

    /// <summary>True when larger values are better (F1, AUCPR); false for errors and costs.</summary>
    public bool HigherIsBetter { get; }

    /// <summary>Evaluates the metric. <paramref name="labels"/>[d] is the true class (0-based) of
    /// validation row d and <paramref name="probabilities"/>[d][j] the student's p_j(x_d).</summary>
    /// <exception cref="InvalidOperationException">The metric returned NaN or an infinity.</exception>
    public double Compute(int[] labels, float[][] probabilities)
    {
        double value = _compute(labels, probabilities);
        if (!double.IsFinite(value))
            throw new InvalidOperationException(
                $"The ALA metric '{Name}' returned {value} on {labels.Length} validation rows; a metric must return a finite number for every " +
                "validation set (guard empty classes and zero denominators in the metric function, or use a larger ValidationFraction).");
        return value;
    }

    /// <summary>The fraction of rows whose most probable class is wrong (lower is better).</summary>
    public static AlaMetric ErrorRate { get; } = new("error rate", higherIsBetter: false, (y, p) =>
    {
        int wrong = 0;
        for (int d = 0; d < y.Length; d++)
            if (ArgMax(p[d]) != y[d]) wrong++;
        return y.Length == 0 ? 0 : wrong / (double)y.Length;
    });

    /// <summary>Mean over classes of the F1 score of the most-probable-class prediction (higher is better);
    /// a class that is neither present nor predicted counts as F1 = 1.</summary>
    public static AlaMetric MacroF1 { get; } = new("macro-F1", higherIsBetter: true, (y, p) =>
    {
        int classes = p.Length == 0 ? 0 : p[0].Length;
        var truePositive = new int[classes];
        var predicted = new int[classes];
        var actual = new int[classes];
        for (int d = 0; d < y.Length; d++)
        {
            int hat = ArgMax(p[d]);
            predicted[hat]++;
            actual[y[d]]++;
            if (hat == y[d]) truePositive[hat]++;
        }
        double sum = 0;
        for (int c = 0; c < classes; c++)
            sum += predicted[c] + actual[c] == 0 ? 1 : 2.0 * truePositive[c] / (predicted[c] + actual[c]);
        return classes == 0 ? 0 : sum / classes;
    });

    /// <summary>Area under the precision-recall curve of class 1 (average precision over the rows ranked by
    /// p_1; higher is better): the binary default, as in the paper's AUCPR experiment.</summary>
    public static AlaMetric AreaUnderPrecisionRecallCurve { get; } = new("AUCPR", higherIsBetter: true, (y, p) =>
    {
        var scores = new float[y.Length];
        var positives = new bool[y.Length];
        for (int d = 0; d < y.Length; d++)
        {
            scores[d] = p[d][1];
            positives[d] = y[d] == 1;
        }
        return AutoLoss.Core.Metrics.AveragePrecision.Compute(scores, positives);
    });

    /// <summary>Mean cost of the most-probable-class prediction under a C x C cost matrix, row = true class,
    /// column = predicted class (lower is better). E.g. 1 - I is the error rate; a 5 at [3, 8] makes
    /// calling a 3 an 8 five times as costly.</summary>
    /// <exception cref="ArgumentException">The matrix is not square or holds a negative or non-finite entry.</exception>
    public static AlaMetric Cost(float[,] costMatrix)
    {
        ArgumentNullException.ThrowIfNull(costMatrix);
        int n = costMatrix.GetLength(0);
        if (costMatrix.GetLength(1) != n)
            throw new ArgumentException($"The cost matrix is {n} x {costMatrix.GetLength(1)}; it must be C x C.", nameof(costMatrix));
        foreach (var v in costMatrix)
            if (!(v >= 0) || !float.IsFinite(v))
                throw new ArgumentException($"The cost matrix holds {v}; every entry must be finite and >= 0.", nameof(costMatrix));
        var cost = (float[,])costMatrix.Clone();
        return new AlaMetric("cost", higherIsBetter: false, (y, p) =>
        {
            if (p.Length > 0 && p[0].Length != n)
                throw new ArgumentException($"The cost matrix is {n} x {n} but the task has {p[0].Length} classes; give a {p[0].Length} x {p[0].Length} matrix.", "Metric");
            double total = 0;
            for (int d = 0; d < y.Length; d++) total += cost[y[d], ArgMax(p[d])];
            return y.Length == 0 ? 0 : total / y.Length;
        });
    }

    /// <summary>A user metric of (labels, probabilities), e.g. a business KPI. It must return a finite value
    /// for every validation set.</summary>
    /// <param name="name">Name for logs.</param>
    /// <param name="higherIsBetter">Direction of the metric.</param>
    /// <param name="compute">labels[d] (0-based class) and probabilities[d][j] -> metric value.</param>
    public static AlaMetric Custom(string name, bool higherIsBetter, Func<int[], float[][], double> compute)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(compute);
        return new AlaMetric(name, higherIsBetter, compute);
    }

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int j = 1; j < values.Length; j++)
            if (values[j] > values[best]) best = j;
        return best;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
