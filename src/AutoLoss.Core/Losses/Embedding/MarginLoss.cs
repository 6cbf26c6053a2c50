using AutoLoss.Core.Losses.Embedding;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// The margin loss with distance-weighted sampling (Wu et al., "Sampling Matters in Deep Embedding Learning", 2017) on
/// L2-normalised embeddings of dimension D: max(0, alpha + d(a, p) - beta) for every positive pair and
/// max(0, alpha - (d(a, n) - beta)) for negatives drawn, one per positive of the anchor, with probability proportional to
/// the inverse of the density of distances between random points on the sphere, q(d) ~ d^(D-2) (1 - d^2/4)^((D-3)/2)
/// (d clipped below at <see cref="Cutoff"/>), so that hard and easy negatives are both seen. The loss is the sum over the
/// pairs divided by the number of pairs with a non-zero loss, spread over the anchors. The boundary beta is fixed here;
/// <see cref="MarginLossOptions"/> learns it with the student, as the paper does.
/// </summary>
public sealed class MarginLoss : IPerExampleLoss
{
    /// <param name="alpha">The margin alpha around the boundary, in (0, 2]. Default 0.2.</param>
    /// <param name="beta">The boundary beta between positive and negative distances, in (0, 2). Default 1.2.</param>
    /// <param name="cutoff">The smallest distance the sampling weight is computed at, in (0, 2). Default 0.5.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public MarginLoss(double alpha = 0.2, double beta = 1.2, double cutoff = 0.5)
    {
        if (!(alpha > 0 && alpha <= 2)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"alpha is {alpha}; it must be in (0, 2] (0.2 in the paper).");
        if (!(beta > 0 && beta < 2)) throw new ArgumentOutOfRangeException(nameof(beta), beta, $"beta is {beta}; it must be in (0, 2) (1.2 in the paper).");
        if (!(cutoff > 0 && cutoff < 2)) throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff, $"cutoff is {cutoff}; it must be in (0, 2) (0.5 in the paper).");
        (Alpha, Beta, Cutoff) = (alpha, beta, cutoff);
    }

    /// <summary>alpha.</summary>
    public double Alpha { get; }

    /// <summary>beta.</summary>
    public double Beta { get; }

    /// <summary>The distance below which sampling weights are not raised further.</summary>
    public double Cutoff { get; }

    /// <inheritdoc />
    public string Name => $"margin (alpha {Alpha}, beta {Beta})";

    /// <inheritdoc />
    public void Validate(TrainingTask task, string optionName) => EmbeddingPairs.Require(task, Name, optionName);

    /// <inheritdoc />
    public Tensor Compute(Tensor outputs, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var (_, positiveLoss, negativeLoss, pairs) = PairLosses(outputs, labels);
        return Reduce(positiveLoss, negativeLoss, pairs).MoveToOuterDisposeScope();
    }

    /// <summary>The loss from pair terms weighted elementwise (e.g. by distance bin): the mean over rows of
    /// sum_j w_ij l_ij x B / pairs, which for unit weights is the paper's sum over pairs / active pairs.</summary>
    internal static Tensor Reduce(Tensor positiveLoss, Tensor negativeLoss, double pairs)
    {
        long b = positiveLoss.shape[0];
        return positiveLoss.sum(1).add(negativeLoss.sum(1)).mul(b / pairs);
    }

    /// <summary>The pair terms [B, B] in the caller's dispose scope: the distances d, max(0, alpha + d - beta) on
    /// positive pairs, max(0, alpha - (d - beta)) times the number of times each negative was drawn, and the number of
    /// active (non-zero) pairs (at least 1). Negatives are drawn with <paramref name="generator"/> (null: TorchSharp's global one).</summary>
    /// <param name="outputs">Raw embeddings [B, D].</param>
    /// <param name="labels">Int64 labels [B].</param>
    /// <param name="generator">The negatives' generator (null: the global one).</param>
    /// <param name="boundary">A learnable boundary beta (a scalar tensor) to use instead of <see cref="Beta"/>.</param>
    internal (Tensor Distances, Tensor Positive, Tensor Negative, double Pairs) PairLosses(Tensor outputs, Tensor labels, Generator? generator = null, Tensor? boundary = null)
    {
        var (d, positive, negative) = EmbeddingPairs.Of(outputs, labels);
        long dim = outputs.shape[1];
        var offset = boundary is null ? d.sub(Beta) : d.sub(boundary);   // d - beta
        var positiveLoss = where(positive, offset.add(Alpha).clamp_min(0), zeros_like(d));

        // Distance-weighted sampling of negatives: weight 1 / q(d), computed in logs and normalised per anchor.
        var sampledNegatives = zeros_like(d);
        var anchors = positive.any(1).logical_and(negative.any(1));
        if (anchors.any().item<bool>())
        {
            using (no_grad())
            {
                var dc = d.detach().clamp(Cutoff, 1.99);
                var logQ = dc.log().mul(dim - 2).add(dc.square().div(4).neg().log1p().mul((dim - 3) / 2.0));
                var logWeight = where(negative, logQ.neg(), full_like(d, double.NegativeInfinity));
                logWeight = where(anchors.unsqueeze(1), logWeight, zeros_like(d));   // rows without a draw get any valid weights
                var weights = logWeight.sub(logWeight.max(1, keepdim: true).values).exp();
                int draws = (int)positive.sum(1).max().item<long>();
                // A seeded generator lives on the CPU: draw there, then move the indices to the batch's device.
                var drawn = generator is null ? weights.multinomial(draws, replacement: true)
                    : weights.cpu().multinomial(draws, replacement: true, generator: generator).to(d.device);   // [B, draws]
                var perAnchor = positive.sum(1).unsqueeze(1);                                 // draw as many negatives as positives
                var used = arange(draws, device: d.device).unsqueeze(0).lt(perAnchor).logical_and(anchors.unsqueeze(1));
                sampledNegatives.scatter_add_(1, drawn, used.to_type(d.dtype));
            }
        }
        var negativeLoss = offset.neg().add(Alpha).clamp_min(0).mul(sampledNegatives);
        using var active = positiveLoss.gt(0).sum().add(negativeLoss.gt(0).sum());
        return (d, positiveLoss, negativeLoss, Math.Max(1, active.item<long>()));
    }
}
