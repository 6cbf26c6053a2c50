using AutoLoss.ML.Datasets;
using Microsoft.ML;

namespace AutoLoss;

/// <summary>How noisy labels are drawn.</summary>
public enum LabelNoiseKind
{
    /// <summary>A flipped label becomes one of the other C - 1 classes, uniformly.</summary>
    Symmetric,
    /// <summary>A flipped label becomes the next class, c -> (c + 1) mod C (a fixed confusion between pairs of classes).</summary>
    Pairwise,
}

/// <summary>
/// Label noise for robustness experiments: each label is flipped with probability <c>rate</c>, independently, from a
/// seeded SplitMix64 stream, so a seed gives the same noisy labels on every machine. Only training labels should be
/// made noisy: <see cref="DigitsWithNoisyTraining"/> keeps the test split clean.
/// </summary>
public static class LabelNoise
{
    /// <summary>A copy of <paramref name="labels"/> (classes 0..<paramref name="classes"/> - 1) with each label flipped
    /// with probability <paramref name="rate"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is outside [0, 1], there are fewer than two classes, or a
    /// label is outside 0..classes - 1.</exception>
    public static int[] Apply(ReadOnlySpan<int> labels, int classes, LabelNoiseKind kind, double rate, int seed)
    {
        if (!(rate >= 0 && rate <= 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "The noise rate must be in [0, 1] (e.g. 0.4 for 40% of labels flipped).");
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "Label noise needs at least two classes.");
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown label noise kind.");
        var rng = SplitMix64.For(seed, stream: 0x4E01_5E, index: 0);
        var noisy = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            int label = labels[i];
            if (label < 0 || label >= classes) throw new ArgumentOutOfRangeException(nameof(labels), label, $"Label {i} is {label}; labels must be in 0..{classes - 1}.");
            bool flip = rng.NextDouble() < rate;
            int other = rng.NextInt(classes - 1);   // drawn for every row, so the stream does not depend on the rate
            noisy[i] = !flip ? label : kind == LabelNoiseKind.Pairwise ? (label + 1) % classes : (label + 1 + other) % classes;
        }
        return noisy;
    }

    /// <summary>The fixed digits split (<see cref="Digits.LoadSplit"/>) with the training labels made noisy and the test
    /// labels left clean.</summary>
    /// <param name="mlContext">The ML.NET context; its seed plays no part.</param>
    /// <param name="kind">Symmetric or pairwise flips.</param>
    /// <param name="rate">Probability that a training label is flipped, in [0, 1].</param>
    /// <param name="seed">Seed of the flips.</param>
    public static (IDataView Train, IDataView Test) DigitsWithNoisyTraining(MLContext mlContext, LabelNoiseKind kind, double rate, int seed)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var digits = Digits.LoadArrays();
        var trainLabels = Apply(digits.GatherLabels(digits.TrainIndices), Digits.ClassCount, kind, rate, seed);
        for (int i = 0; i < trainLabels.Length; i++) digits.Labels[digits.TrainIndices[i]] = trainLabels[i];
        return Digits.SplitViews(digits);
    }

    /// <summary>A generated Gaussian-cluster task (<see cref="SyntheticData.GaussianClusters"/>'s process) split into
    /// <paramref name="trainRows"/> training rows whose labels are made noisy and <paramref name="testRows"/> clean test
    /// rows of the same process: a second noisy-label task beside the digits.</summary>
    /// <param name="mlContext">The ML.NET context; its seed plays no part.</param>
    /// <param name="trainRows">Training rows (noisy labels).</param>
    /// <param name="testRows">Test rows (clean labels).</param>
    /// <param name="features">Features per row.</param>
    /// <param name="classes">Classes, at least 2.</param>
    /// <param name="separation">Length of each class mean, in noise standard deviations.</param>
    /// <param name="kind">Symmetric or pairwise flips.</param>
    /// <param name="rate">Probability that a training label is flipped, in [0, 1].</param>
    /// <param name="seed">Seed of the process, the rows and the flips.</param>
    public static (IDataView Train, IDataView Test) ClustersWithNoisyTraining(MLContext mlContext, int trainRows, int testRows, int features, int classes,
        float separation, LabelNoiseKind kind, double rate, int seed)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trainRows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(testRows);
        var generator = new SyntheticData.ClusterGenerator(features, classes, seed, separation);
        var clean = new int[trainRows];
        for (int row = 0; row < trainRows; row++) clean[row] = (int)generator.Fill(row, Span<float>.Empty);
        var noisy = Apply(clean, classes, kind, rate, seed);
        return (new DenseDataView(trainRows, features, (row, destination) => { generator.Fill(row, destination); return noisy[row]; }),
                new DenseDataView(testRows, features, (row, destination) => generator.Fill(trainRows + row, destination)));
    }
}
