using AutoLoss;
using AutoLoss.ML.Datasets;
using Microsoft.ML;

namespace AutoLoss.ML.Benchmarks;

/// <summary>A classification task: a fixed train/test split (the same for every seed) and the student the AdaptiveLoss
/// methods train on it (a fresh spec per run).</summary>
internal sealed record BenchmarkTask(string Name, int NumberOfClasses, Func<MLContext, (IDataView Train, IDataView Test)> Load, Func<StudentSpec> Student);

/// <summary>The tasks the accuracy benchmark knows; add one line per new task.</summary>
internal static class Tasks
{
    public static readonly IReadOnlyDictionary<string, BenchmarkTask> All = new Dictionary<string, BenchmarkTask>(StringComparer.OrdinalIgnoreCase)
    {
        // 10,000 embedded MNIST digits, fixed stratified 8,000/2,000 split.
        ["digits"] = new("digits", Digits.ClassCount, ml => Digits.LoadSplit(ml), () => new MlpSpec { HiddenSizes = [500, 300] }),
        // The same split seen as 1x28x28 images (the features are the pixels in CHW order) by a LeNet-5 student.
        ["digits-images"] = new("digits-images", Digits.ClassCount, ml => Digits.LoadSplit(ml), () => ConvNetSpec.LeNet5()),
    };
}
