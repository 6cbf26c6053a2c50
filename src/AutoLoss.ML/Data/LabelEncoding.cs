using AutoLoss.Core.Data;
using static TorchSharp.torch;

namespace AutoLoss.ML.Data;

/// <summary>
/// Labels travel through the adapter as doubles, which hold both kinds exactly: a 0-based class index
/// for classification, a float target for regression. These turn them into the core's typed labels
/// for the task: int64 class indices, or float32 targets standardized by the training labels'
/// <see cref="LabelStandardization"/>.
/// </summary>
internal static class LabelEncoding
{
    /// <summary>A streamed batch of <paramref name="labels"/>.Length rows.</summary>
    public static ArrayBatch Batch(TrainingTask task, LabelStandardization scaling, float[] features, ReadOnlySpan<double> labels, float[]? weights, int featureCount) =>
        IsFloat(task)
            ? new ArrayBatch(features, Targets(labels, scaling), weights, labels.Length, featureCount)
            : new ArrayBatch(features, Classes(labels), weights, labels.Length, featureCount);

    /// <summary>A dataset cached as tensors on <paramref name="device"/>.</summary>
    public static InMemoryDataset Dataset(TrainingTask task, LabelStandardization scaling, float[] features, ReadOnlySpan<double> labels, float[]? weights, int featureCount, Device device) =>
        IsFloat(task)
            ? new InMemoryDataset(features, Targets(labels, scaling), weights, featureCount, device)
            : new InMemoryDataset(features, Classes(labels), weights, featureCount, device);

    /// <summary>True for float32 targets, false for int64 indices; any other label type has no encoding here.</summary>
    private static bool IsFloat(TrainingTask task) => task.LabelType switch
    {
        ScalarType.Float32 => true,
        ScalarType.Int64 => false,
        _ => throw new NotSupportedException($"A {task} task has {task.LabelType} labels; the ML.NET trainers encode float32 targets and int64 class indices only."),
    };

    private static float[] Targets(ReadOnlySpan<double> labels, LabelStandardization scaling)
    {
        var result = new float[labels.Length];
        for (int i = 0; i < result.Length; i++) result[i] = scaling.Standardize(labels[i]);
        return result;
    }

    private static long[] Classes(ReadOnlySpan<double> labels)
    {
        var result = new long[labels.Length];
        for (int i = 0; i < result.Length; i++) result[i] = (long)labels[i];
        return result;
    }
}
