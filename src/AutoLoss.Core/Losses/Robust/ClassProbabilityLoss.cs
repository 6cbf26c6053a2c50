using AutoLoss.Core.Losses;
using AutoLoss.Core.Losses.Robust;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// A classification loss written in terms of the student's log-probabilities: log p = log_softmax(logits) [B, C] and
/// log p_y [B] of the labels. The base class computes both (in a dispose scope) and refuses tasks without classes; a
/// loss supplies its name and its formula.
/// </summary>
public abstract class ClassProbabilityLoss : IPerExampleLoss
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public void Validate(TrainingTask task, string optionName) => ClassificationLossCheck.Require(task, Name, optionName);

    /// <inheritdoc />
    public Tensor Compute(Tensor outputs, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var (logp, logpy) = TrueClassProbability.Of(outputs, labels);
        return FromLogProbabilities(logp, logpy).MoveToOuterDisposeScope();
    }

    /// <summary>The loss of every row, [B], from log p [B, C] and log p_y [B].</summary>
    protected abstract Tensor FromLogProbabilities(Tensor logp, Tensor logpy);

    /// <summary>1 - p_y for log p_y [B].</summary>
    protected static Tensor OneMinusPy(Tensor logpy) => logpy.exp().neg().add(1);
}
