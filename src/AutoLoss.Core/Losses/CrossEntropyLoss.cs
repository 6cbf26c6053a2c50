using AutoLoss.Core.Losses;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>Cross-entropy, -y^T log p with p = softmax(logits): the baseline every adaptive loss is compared with.</summary>
public sealed class CrossEntropyLoss : IPerExampleLoss
{
    /// <summary>The shared instance (the loss holds no state).</summary>
    public static CrossEntropyLoss Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "cross-entropy";

    /// <inheritdoc />
    public void Validate(TrainingTask task, string optionName) => ClassificationLossCheck.Require(task, Name, optionName);

    /// <summary>Per-example cross-entropy for logits [B, C] and int64 class indices [B]; returns [B].</summary>
    public Tensor Compute(Tensor outputs, Tensor labels) =>
        nn.functional.cross_entropy(outputs, labels, reduction: nn.Reduction.None);
}
