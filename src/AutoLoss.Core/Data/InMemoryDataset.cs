using static TorchSharp.torch;

namespace AutoLoss.Core.Data;

/// <summary>
/// A dataset cached as tensors on the training device: the fast path when the data fits in memory,
/// and the form validation data (D_dev) takes so that teachers can evaluate the student on it.
/// Batches are selected from the cached tensors by a per-epoch permutation.
/// </summary>
public sealed class InMemoryDataset : ITrainingBatchSource, IDisposable
{
    /// <summary>Copies the arrays of a classification dataset into tensors on <paramref name="device"/>.</summary>
    /// <param name="features">Row-major features, <paramref name="labels"/>.Length x <paramref name="featureCount"/>.</param>
    /// <param name="labels">0-based class indices.</param>
    /// <param name="weights">Per-row weights, or null.</param>
    /// <param name="featureCount">Features per row.</param>
    /// <param name="device">Where the tensors live.</param>
    public InMemoryDataset(float[] features, long[] labels, float[]? weights, int featureCount, Device device)
        : this(features, labels.Length, weights, featureCount, device, () => tensor(labels, [labels.Length]))
    {
    }

    /// <summary>Copies the arrays of a regression dataset into tensors on <paramref name="device"/>.</summary>
    /// <param name="features">Row-major features, <paramref name="targets"/>.Length x <paramref name="featureCount"/>.</param>
    /// <param name="targets">Regression targets.</param>
    /// <param name="weights">Per-row weights, or null.</param>
    /// <param name="featureCount">Features per row.</param>
    /// <param name="device">Where the tensors live.</param>
    public InMemoryDataset(float[] features, float[] targets, float[]? weights, int featureCount, Device device)
        : this(features, targets.Length, weights, featureCount, device, () => AlignedTensor.From(targets, [targets.Length], device))
    {
    }

    private InMemoryDataset(float[] features, int count, float[]? weights, int featureCount, Device device, Func<Tensor> labels)
    {
        if (featureCount <= 0) throw new ArgumentOutOfRangeException(nameof(featureCount));
        if (features.Length != (long)count * featureCount)
            throw new ArgumentException($"Feature array holds {features.Length} values, expected {count} x {featureCount}.");
        if (weights is not null && weights.Length != count)
            throw new ArgumentException("Weight array length differs from the label count.");
        Count = count;
        FeatureCount = featureCount;
        Features = AlignedTensor.From(features, [Count, featureCount], device).DetachFromDisposeScope();
        Labels = labels().to(device).DetachFromDisposeScope();
        Weights = weights is null ? null : AlignedTensor.From(weights, [Count], device).DetachFromDisposeScope();
    }

    /// <summary>Rows in the dataset.</summary>
    public int Count { get; }

    /// <inheritdoc />
    public int FeatureCount { get; }

    /// <inheritdoc />
    public long? RowCount => Count;

    /// <summary>Features [N, F].</summary>
    public Tensor Features { get; }

    /// <summary>Labels [N]: class indices (int64), or targets (float32) for regression.</summary>
    public Tensor Labels { get; }

    /// <summary>Row weights [N], or null.</summary>
    public Tensor? Weights { get; }

    /// <inheritdoc />
    public IEnumerable<IBatchData> ReadEpoch(int epoch, int batchSize, int seed)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize));
        long[] order = Shuffling.Permutation(Count, seed, epoch);
        for (int start = 0; start < Count; start += batchSize)
            yield return new Selection(this, order, start, Math.Min(batchSize, Count - start));
    }

    /// <summary>A batch of rows <c>rows[start .. start + count)</c>, in that order (for sources with their own sampling).</summary>
    public IBatchData Select(long[] rows, int start, int count)
    {
        if (start < 0 || count < 0 || start + count > rows.Length) throw new ArgumentOutOfRangeException(nameof(count));
        if (rows.AsSpan(start, count).ToArray().Any(r => r < 0 || r >= Count)) throw new ArgumentOutOfRangeException(nameof(rows), $"Row indices must be in [0, {Count}).");
        return new Selection(this, rows, start, count);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
        Weights?.Dispose();
    }

    private sealed class Selection(InMemoryDataset data, long[] order, int start, int count) : IBatchData
    {
        public int Count => count;

        public TensorBatch ToTensors(Device device)
        {
            using var index = tensor(order.AsSpan(start, count).ToArray(), [count]).to(data.Features.device);
            return new TensorBatch(
                data.Features.index_select(0, index).to(device),
                data.Labels.index_select(0, index).to(device),
                data.Weights?.index_select(0, index).to(device));
        }
    }
}
