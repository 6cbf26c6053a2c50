using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// ALA's distance mixture on the margin loss (<see cref="MarginLoss"/>): the distances d in [0, 2] are cut into
/// <see cref="Bins"/> equal bins, and every pair's margin term is weighted by the element of Phi for its kind and bin,
/// l_Phi = sum_pairs Phi(kind, bin(d)) x l_margin(d) / active pairs, with Phi(positive, b) for b = 0..Bins-1 followed
/// by Phi(negative, b). Phi_0 is all ones, so the fixed starting point is exactly the margin loss; the controller
/// learns which distances (hard or easy, positive or negative) the student should attend to when.
/// </summary>
public sealed class AlaDistanceMixture : AlaEmbeddingLossFamily
{
    private readonly MarginLoss _margin;

    /// <param name="bins">The distance bins per kind of pair. Default 8 (width 0.25).</param>
    /// <param name="alpha">The margin loss's alpha. Default 0.2.</param>
    /// <param name="beta">The margin loss's boundary beta. Default 1.2.</param>
    /// <param name="maximumWeight">The largest weight of a bin (the smallest is 0). Default 3.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public AlaDistanceMixture(int bins = 8, double alpha = 0.2, double beta = 1.2, double maximumWeight = 3)
    {
        if (bins < 1 || bins > 64) throw new ArgumentOutOfRangeException(nameof(bins), bins, "The distance mixture needs 1 to 64 bins (e.g. 8).");
        if (!(maximumWeight >= 1) || !double.IsFinite(maximumWeight))
            throw new ArgumentOutOfRangeException(nameof(maximumWeight), maximumWeight, "The largest bin weight must be a finite number >= 1 (Phi_0 is 1; e.g. 3).");
        _margin = new MarginLoss(alpha, beta);
        Bins = bins;
        MaximumWeight = maximumWeight;
    }

    /// <summary>The distance bins per kind of pair.</summary>
    public int Bins { get; }

    /// <summary>The largest weight of a bin.</summary>
    public double MaximumWeight { get; }

    /// <inheritdoc />
    public override string Name => $"distance mixture ({Bins} bins) on {_margin.Name}";

    /// <inheritdoc />
    public override int Size => 2 * Bins;

    /// <summary>0.05.</summary>
    public override double DefaultStep => 0.05;

    /// <inheritdoc />
    public override int StatisticsBins => Bins;

    /// <inheritdoc />
    public override double[] InitialPhi() => Enumerable.Repeat(1.0, Size).ToArray();

    /// <inheritdoc />
    public override double Minimum(int element) => 0;

    /// <inheritdoc />
    public override double Maximum(int element) => MaximumWeight;

    /// <inheritdoc />
    public override Tensor Compute(Tensor outputs, Tensor labels, IReadOnlyList<double> phi, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        var (d, positiveLoss, negativeLoss, pairs) = _margin.PairLosses(outputs, labels, generator);
        var weights = tensor(phi.Select(v => (float)v).ToArray(), device: d.device).to_type(d.dtype);
        // nan_to_num: a diverged student's NaN distance must not become an out-of-range index (the loop reports the divergence).
        var bin = d.detach().nan_to_num(2.0).mul(Bins / 2.0).floor().clamp(0, Bins - 1).to_type(ScalarType.Int64);
        var positiveWeight = weights.narrow(0, 0, Bins).index_select(0, bin.flatten()).view_as(d);
        var negativeWeight = weights.narrow(0, Bins, Bins).index_select(0, bin.flatten()).view_as(d);
        return MarginLoss.Reduce(positiveLoss.mul(positiveWeight), negativeLoss.mul(negativeWeight), pairs).MoveToOuterDisposeScope();
    }

    /// <summary>[share of the kind's validation pairs in the bin, its change, Phi, +1 positive / -1 negative, the bin's centre distance].</summary>
    public override void Describe(int element, EmbeddingValidationStatistics now, EmbeddingValidationStatistics? before, IReadOnlyList<double> phi, Span<float> features)
    {
        bool positive = element < Bins;
        int bin = element % Bins;
        double Share(EmbeddingValidationStatistics s) => (positive ? s.PositiveShare : s.NegativeShare)[bin];
        features[0] = (float)Share(now);
        features[1] = before is null ? 0 : (float)(Share(now) - Share(before));
        features[2] = (float)phi[element];
        features[3] = positive ? 1 : -1;
        features[4] = (float)((bin + 0.5) * 2 / Bins);
    }
}
