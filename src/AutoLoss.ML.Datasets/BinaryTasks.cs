using AutoLoss.ML.Datasets;
using Microsoft.ML;

namespace AutoLoss;

/// <summary>
/// Imbalanced binary tasks with a Boolean <c>Label</c> (true = positive) and a float vector <c>Features</c>, the
/// shape ML.NET's binary trainers expect: one digit against the rest of the embedded digits, and generated
/// overlapping Gaussian data with a chosen share of positives.
/// </summary>
public static class BinaryTasks
{
    /// <summary>The fixed digits train/test split (<see cref="Digits.LoadSplit"/>) relabelled: positive when the
    /// image shows <paramref name="positiveDigit"/> (about 10% of the rows), negative otherwise.</summary>
    /// <param name="mlContext">The ML.NET context; its seed plays no part.</param>
    /// <param name="positiveDigit">The digit that is the positive class, 0..9.</param>
    public static (IDataView Train, IDataView Test) DigitVersusRest(MLContext mlContext, int positiveDigit)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentOutOfRangeException.ThrowIfNegative(positiveDigit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(positiveDigit, 9);
        var digits = Digits.LoadArrays();
        IDataView Part(int[] indices) => View(mlContext, Digits.FeatureCount,
            indices.Select(i => (digits.Features.AsSpan(i * Digits.FeatureCount, Digits.FeatureCount).ToArray(), digits.Labels[i] == positiveDigit)));
        return (Part(digits.TrainIndices), Part(digits.TestIndices));
    }

    /// <summary>
    /// Generated imbalanced data: negatives x ~ N(0, I), positives x ~ N(mu, I) with |mu| = <paramref name="separation"/>
    /// along a direction fixed by the seed, so the classes overlap and a perfect score is impossible. Each row is
    /// positive with probability <paramref name="positiveFraction"/>. The seed fixes every row.
    /// </summary>
    /// <param name="mlContext">The ML.NET context; its seed plays no part.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="features">Length of the <c>Features</c> vector.</param>
    /// <param name="positiveFraction">Share of positive rows, in (0, 1).</param>
    /// <param name="seed">Seed of the direction and the rows.</param>
    /// <param name="separation">Distance between the class means.</param>
    public static IDataView ImbalancedGaussian(MLContext mlContext, int rows, int features, double positiveFraction, int seed, double separation = 2.0)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        if (!(positiveFraction > 0 && positiveFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(positiveFraction), positiveFraction, "positiveFraction must be in (0, 1).");
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var direction = Enumerable.Range(0, features).Select(_ => Normal()).ToArray();
        double norm = Math.Sqrt(direction.Sum(v => v * v));
        var mean = direction.Select(v => separation * v / norm).ToArray();
        var data = new List<(float[], bool)>(rows);
        for (int r = 0; r < rows; r++)
        {
            bool positive = random.NextDouble() < positiveFraction;
            var x = new float[features];
            for (int f = 0; f < features; f++) x[f] = (float)(Normal() + (positive ? mean[f] : 0));
            data.Add((x, positive));
        }
        return View(mlContext, features, data);
    }

    private static IDataView View(MLContext ml, int features, IEnumerable<(float[] Features, bool Label)> rows) =>
        VectorRows.View(ml, features, rows.Select(r => new BinaryRow { Features = r.Features, Label = r.Label }));
}

/// <summary>One row of a <see cref="BinaryTasks"/> data view.</summary>
public sealed class BinaryRow
{
    /// <summary>True for the positive class.</summary>
    public bool Label { get; set; }

    /// <summary>The features.</summary>
    public float[] Features { get; set; } = [];
}
