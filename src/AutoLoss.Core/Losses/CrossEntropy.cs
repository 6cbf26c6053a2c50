using static TorchSharp.torch;

namespace AutoLoss.Core.Losses;

/// <summary>Cross-entropy, -y^T log p with p = softmax(logits): the baseline every adaptive loss is compared with.</summary>
public static class CrossEntropy
{
    /// <summary>Per-example cross-entropy for logits [B, C] and int64 class indices [B]; returns [B].</summary>
    public static Tensor PerExample(Tensor logits, Tensor labels) =>
        nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.None);
}
