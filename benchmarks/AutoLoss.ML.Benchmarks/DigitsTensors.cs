using AutoLoss;
using AutoLoss.Core.Data;
using static TorchSharp.torch;

namespace AutoLoss.ML.Benchmarks;

/// <summary>Rows of the embedded digits as the core's in-memory dataset (CPU tensors), for benchmarks that drive the
/// search layer directly.</summary>
internal static class DigitsTensors
{
    /// <summary>The given rows with their own labels, or with <paramref name="labels"/> (e.g. made noisy) in their place.</summary>
    public static InMemoryDataset Rows(DigitsArrays digits, int[] rows, int[]? labels = null) =>
        new(digits.GatherFeatures(rows), Array.ConvertAll(labels ?? digits.GatherLabels(rows), l => (long)l), null, digits.FeatureCount, CPU);
}
