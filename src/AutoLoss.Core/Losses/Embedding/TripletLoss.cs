using AutoLoss.Core.Losses.Embedding;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// Triplet loss with semi-hard negatives (Schroff et al., FaceNet, 2015) on L2-normalised embeddings: for every anchor a
/// and positive p of the batch, max(0, d(a, p) - d(a, n) + m) with n the closest negative farther from a than p (or, if
/// none is, the farthest negative). An anchor's loss is the mean over its positives; an anchor without a positive or a
/// negative in the batch contributes 0, so batches should hold several rows per label. Memory grows as B^3.
/// </summary>
public sealed class TripletLoss : IPerExampleLoss
{
    /// <param name="margin">The margin m, in (0, 2]. Default 0.2.</param>
    /// <exception cref="ArgumentOutOfRangeException">The margin is outside (0, 2].</exception>
    public TripletLoss(double margin = 0.2)
    {
        if (!(margin > 0 && margin <= 2))
            throw new ArgumentOutOfRangeException(nameof(margin), margin, $"margin is {margin}; it must be in (0, 2] (distances of unit vectors are at most 2; 0.2 is usual).");
        Margin = margin;
    }

    /// <summary>The margin m.</summary>
    public double Margin { get; }

    /// <inheritdoc />
    public string Name => $"triplet (semi-hard, margin {Margin})";

    /// <inheritdoc />
    public void Validate(TrainingTask task, string optionName) => EmbeddingPairs.Require(task, Name, optionName);

    /// <inheritdoc />
    public Tensor Compute(Tensor outputs, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var (d, positive, negative) = EmbeddingPairs.Of(outputs, labels);
        var dap = d.unsqueeze(2);                                   // [a, p, 1]
        var dan = d.unsqueeze(1);                                   // [a, 1, n]
        var farther = negative.unsqueeze(1).logical_and(dan.gt(dap));
        var inf = full_like(d, double.PositiveInfinity).unsqueeze(1);
        var semiHard = where(farther, dan.expand_as(farther), inf.expand_as(farther)).min(2).values;   // [a, p]
        var farthest = where(negative, d, full_like(d, double.NegativeInfinity)).max(1).values;        // [a]
        var chosen = where(farther.any(2), semiHard, farthest.unsqueeze(1).expand_as(semiHard));
        var hasNegative = negative.any(1).unsqueeze(1);
        var valid = positive.logical_and(hasNegative);
        var perPair = where(valid, d.sub(chosen).add(Margin).clamp_min(0), zeros_like(d));
        var count = valid.sum(1).clamp_min(1).to_type(d.dtype);
        return perPair.sum(1).div(count).MoveToOuterDisposeScope();
    }
}
