using AutoLoss.Core.Data;
using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.Core.Augmentation;

/// <summary>A training source whose batches are augmented (<see cref="ImageAugmentation"/>) as they become tensors, with
/// the random choices of batch i of epoch e drawn from (seed, e, i).</summary>
internal sealed class AugmentedBatchSource(ITrainingBatchSource inner, ImageAugmentation augmentation, IReadOnlyList<int> imageShape) : ITrainingBatchSource
{
    /// <summary><paramref name="problem"/> with its training sources (the training rows, and the rows a refit sees)
    /// augmented by <paramref name="augmentation"/>; the problem itself when that is null.</summary>
    public static TrainingProblem Wrap(TrainingProblem problem, ImageAugmentation? augmentation)
    {
        if (augmentation is null) return problem;
        var shape = problem.Student.InputShape!;
        return new TrainingProblem
        {
            Student = problem.Student,
            Task = problem.Task,
            Train = new AugmentedBatchSource(problem.Train, augmentation, shape),
            TrainAndValidation = problem.TrainAndValidation is { } all ? new AugmentedBatchSource(all, augmentation, shape) : null,
            Validation = problem.Validation,
            TargetScale = problem.TargetScale,
            Loss = problem.Loss,
        };
    }

    public int FeatureCount => inner.FeatureCount;

    public long? RowCount => inner.RowCount;

    public IEnumerable<IBatchData> ReadEpoch(int epoch, int batchSize, int seed)
    {
        int index = 0;
        foreach (var batch in inner.ReadEpoch(epoch, batchSize, seed))
            yield return new AugmentedBatch(batch, augmentation, imageShape, BatchSeed(seed, epoch, index++));
    }

    /// <summary>A seed for batch <paramref name="index"/> of <paramref name="epoch"/>, the same in every process
    /// (HashCode.Combine is randomised per process).</summary>
    private static int BatchSeed(int seed, int epoch, int index)
    {
        ulong x = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)epoch * 0xC2B2AE3D27D4EB4FUL ^ (ulong)(uint)index * 0x165667B19E3779F9UL);
        x ^= x >> 31;
        x = unchecked(x * 0xBF58476D1CE4E5B9UL);
        x ^= x >> 29;
        return (int)(x & int.MaxValue);
    }

    private sealed class AugmentedBatch(IBatchData inner, ImageAugmentation augmentation, IReadOnlyList<int> imageShape, int seed) : IBatchData
    {
        public int Count => inner.Count;

        public TensorBatch ToTensors(Device device)
        {
            var batch = inner.ToTensors(device);
            return batch with { Features = augmentation.Apply(batch.Features, imageShape, new Random(seed)) };
        }
    }
}
