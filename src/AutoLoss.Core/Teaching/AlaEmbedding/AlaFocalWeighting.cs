using AutoLoss.Core.Losses.Embedding;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// ALA's focal weighting (Huang et al. 2019, section 4.2): for each anchor i,
/// l_Phi = (1 / Phi(1)) log[1 + sum_{positives} exp(Phi(1) (d+ - alpha))] + (1 / Phi(2)) log[1 + sum_{negatives} exp(-Phi(2) (d- - alpha))],
/// a soft version of "pull every positive inside alpha, push every negative outside it" whose sharpness Phi(1), Phi(2)
/// sets how strongly the hardest pairs dominate (large Phi: only the hardest count; small Phi: all pairs share).
/// The controller's elements are ln Phi(1) and ln Phi(2), so an action scales Phi by e^(+-beta).
/// </summary>
public sealed class AlaFocalWeighting : AlaEmbeddingLossFamily
{
    /// <param name="alpha">The distance boundary alpha, in (0, 2). Default 1 (cosine similarity 0.5).</param>
    /// <param name="positiveSharpness">Phi_0(1). Default 2.</param>
    /// <param name="negativeSharpness">Phi_0(2). Default 50.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public AlaFocalWeighting(double alpha = 1, double positiveSharpness = 2, double negativeSharpness = 50)
    {
        if (!(alpha > 0 && alpha < 2)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in (0, 2) (e.g. 1).");
        if (!(positiveSharpness >= MinimumSharpness && positiveSharpness <= MaximumSharpness))
            throw new ArgumentOutOfRangeException(nameof(positiveSharpness), positiveSharpness, $"Phi_0(1) must be in [{MinimumSharpness}, {MaximumSharpness}] (e.g. 2).");
        if (!(negativeSharpness >= MinimumSharpness && negativeSharpness <= MaximumSharpness))
            throw new ArgumentOutOfRangeException(nameof(negativeSharpness), negativeSharpness, $"Phi_0(2) must be in [{MinimumSharpness}, {MaximumSharpness}] (e.g. 50).");
        (Alpha, PositiveSharpness, NegativeSharpness) = (alpha, positiveSharpness, negativeSharpness);
    }

    /// <summary>The smallest sharpness Phi may reach.</summary>
    public const double MinimumSharpness = 0.5;

    /// <summary>The largest sharpness Phi may reach.</summary>
    public const double MaximumSharpness = 200;

    /// <summary>alpha.</summary>
    public double Alpha { get; }

    /// <summary>Phi_0(1).</summary>
    public double PositiveSharpness { get; }

    /// <summary>Phi_0(2).</summary>
    public double NegativeSharpness { get; }

    /// <inheritdoc />
    public override string Name => $"focal weighting (alpha {Alpha}, Phi_0 {PositiveSharpness}, {NegativeSharpness})";

    /// <inheritdoc />
    public override int Size => 2;

    /// <summary>0.05 (Phi scaled by about 5% per action).</summary>
    public override double DefaultStep => 0.05;

    /// <inheritdoc />
    public override double[] InitialPhi() => [Math.Log(PositiveSharpness), Math.Log(NegativeSharpness)];

    /// <inheritdoc />
    public override double Minimum(int element) => Math.Log(MinimumSharpness);

    /// <inheritdoc />
    public override double Maximum(int element) => Math.Log(MaximumSharpness);

    /// <inheritdoc />
    public override Tensor Compute(Tensor outputs, Tensor labels, IReadOnlyList<double> phi, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        var (d, positive, negative) = EmbeddingPairs.Of(outputs, labels);
        Tensor Term(Tensor mask, double sharpness, double sign)
        {
            // log(1 + sum exp(z)) as a logsumexp over [0, z...]; masked pairs are -inf and drop out.
            var z = where(mask, d.sub(Alpha).mul(sign * sharpness), full_like(d, double.NegativeInfinity));
            return cat([zeros(d.shape[0], 1, dtype: d.dtype, device: d.device), z], 1).logsumexp(1).div(sharpness);
        }
        return Term(positive, Math.Exp(phi[0]), 1).add(Term(negative, Math.Exp(phi[1]), -1)).MoveToOuterDisposeScope();
    }

    /// <summary>[mean validation distance of the element's pairs, its change, ln Phi / ln 200, +1 positive / -1 negative, alpha].</summary>
    public override void Describe(int element, EmbeddingValidationStatistics now, EmbeddingValidationStatistics? before, IReadOnlyList<double> phi, Span<float> features)
    {
        bool positive = element == 0;
        double Mean(EmbeddingValidationStatistics s) => positive ? s.MeanPositiveDistance : s.MeanNegativeDistance;
        features[0] = (float)Mean(now);
        features[1] = before is null ? 0 : (float)(Mean(now) - Mean(before));
        features[2] = (float)(phi[element] / Math.Log(MaximumSharpness));
        features[3] = positive ? 1 : -1;
        features[4] = (float)Alpha;
    }
}
