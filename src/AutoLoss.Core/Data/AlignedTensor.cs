using static TorchSharp.torch;

namespace AutoLoss.Core.Data;

/// <summary>
/// Float tensors (features, targets, example weights) in libtorch-owned memory. A tensor made from a managed array shares the array's memory, whose
/// alignment varies from one allocation to the next, and the CPU matrix kernels round differently at different
/// alignments: the same seed would then train (or validate) to slightly different numbers from run to run.
/// </summary>
internal static class AlignedTensor
{
    /// <summary>A copy of <paramref name="values"/> with <paramref name="shape"/> on <paramref name="device"/>, in
    /// libtorch's (aligned) memory.</summary>
    public static Tensor From(float[] values, long[] shape, Device device)
    {
        var wrapped = tensor(values, shape);
        using (wrapped) return wrapped.device_type != device.type ? wrapped.to(device) : wrapped.clone();   // both are copies
    }
}
