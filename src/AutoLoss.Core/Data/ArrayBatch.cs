using static TorchSharp.torch;

namespace AutoLoss.Core.Data;

/// <summary>A batch read into managed arrays (by a streaming source), copied to tensors on demand.</summary>
public sealed class ArrayBatch : IBatchData
{
    private readonly float[] _features;
    private readonly long[]? _classes;
    private readonly float[]? _targets;
    private readonly float[]? _weights;
    private readonly int _featureCount;

    /// <summary>Wraps arrays holding <paramref name="count"/> rows with 0-based class labels; the batch owns them from now on.</summary>
    public ArrayBatch(float[] features, long[] labels, float[]? weights, int count, int featureCount)
        : this(features, labels.Length, weights, count, featureCount) => _classes = labels;

    /// <summary>Wraps arrays holding <paramref name="count"/> rows with regression targets; the batch owns them from now on.</summary>
    public ArrayBatch(float[] features, float[] targets, float[]? weights, int count, int featureCount)
        : this(features, targets.Length, weights, count, featureCount) => _targets = targets;

    private ArrayBatch(float[] features, int labelCount, float[]? weights, int count, int featureCount)
    {
        if (features.Length != (long)count * featureCount || labelCount != count || (weights is not null && weights.Length != count))
            throw new ArgumentException("Batch arrays disagree with the row count.");
        _features = features;
        _weights = weights;
        _featureCount = featureCount;
        Count = count;
    }

    /// <inheritdoc />
    public int Count { get; }

    /// <inheritdoc />
    public TensorBatch ToTensors(Device device) => new(
        AlignedTensor.From(_features, [Count, _featureCount], device),
        _classes is not null ? tensor(_classes, [Count]).to(device) : AlignedTensor.From(_targets!, [Count], device),
        _weights is null ? null : AlignedTensor.From(_weights, [Count], device));
}
