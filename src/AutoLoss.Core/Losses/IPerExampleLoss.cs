using AutoLoss.Core.Losses;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// A loss computed per training row: given the student's outputs [B, ...] (with graph) and the labels [B], it returns
/// the loss of every row, [B]. Reduction to the scalar a step minimises (mean, or weighted by ML.NET's example-weight
/// column) happens in one place, <see cref="LossReduction.Mean"/>, so fixed losses, mixtures and searched losses are
/// all built on this interface. A loss that holds tensors implements <see cref="IDisposable"/>; its owner disposes it.
/// </summary>
public interface IPerExampleLoss
{
    /// <summary>A short name for logs, e.g. "cross-entropy".</summary>
    string Name { get; }

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="optionName"/> and the fix when the loss
    /// cannot train a student of <paramref name="task"/>. Runs before any tensor exists.</summary>
    void Validate(TrainingTask task, string optionName);

    /// <summary>The loss of every row, [B], connected to <paramref name="outputs"/>' graph.</summary>
    Tensor Compute(Tensor outputs, Tensor labels);
}
