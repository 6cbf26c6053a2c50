using AutoLoss.Core.Data;
using static TorchSharp.torch;

namespace AutoLoss.Core.Training;

/// <summary>Checks of cached data against the task before training, so that a wrong label never reaches libtorch
/// (where an out-of-range class index aborts a CUDA process).</summary>
internal static class DatasetChecks
{
    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="data"/>'s labels are not of the task's type,
    /// or, for a classification task, a class index is outside [0, C).</summary>
    public static void RequireLabelsFor(TrainingTask task, InMemoryDataset data, string which)
    {
        if (data.Labels.dtype != task.LabelType)
            throw new ArgumentException($"The {which} labels are {data.Labels.dtype}; a {task} task needs {task.LabelType} labels.", "problem");
        if (task is not ClassificationTask classification || data.Count == 0) return;
        using var low = data.Labels.min();
        using var high = data.Labels.max();
        long min = low.item<long>(), max = high.item<long>();
        if (min < 0 || max >= classification.NumberOfClasses)
            throw new ArgumentException(
                $"The {which} labels hold class indices from {min} to {max}; a {task} task needs them in [0, {classification.NumberOfClasses}).", "problem");
    }
}
