using static TorchSharp.torch;

namespace AutoLoss.Core.Metrics;

/// <summary>Shape and type checks of a classification metric's chunk, before anything reaches libtorch.</summary>
internal static class ClassificationChecks
{
    public static void Require(Tensor outputs, Tensor labels, string metric)
    {
        if (labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"{metric} needs int64 class labels; the validation labels are {labels.dtype}.", nameof(labels));
        if (outputs.dim() != 2 || labels.dim() != 1 || outputs.shape[0] != labels.shape[0])
            throw new ArgumentException($"{metric} needs outputs [B, C] and labels [B]; they are [{string.Join(", ", outputs.shape)}] and [{string.Join(", ", labels.shape)}].", nameof(outputs));
    }
}
