using static TorchSharp.torch;

namespace AutoLoss.Core.Data;

/// <summary>A batch that is turned into tensors only inside the consumer's dispose scope, so every
/// tensor a step creates is freed with that step.</summary>
public interface IBatchData
{
    /// <summary>Rows in the batch.</summary>
    int Count { get; }

    /// <summary>Creates (or selects) the batch's tensors on <paramref name="device"/>.</summary>
    TensorBatch ToTensors(Device device);
}

/// <summary>Tensors of one batch: features [B, F] float32, labels [B] (int64 class indices, or float32
/// targets for regression), optional weights [B] float32.</summary>
public sealed record TensorBatch(Tensor Features, Tensor Labels, Tensor? Weights);
