using AutoLoss.Core.Data;
using AutoLoss.Core.Metrics;
using AutoLoss.Core.Metrics.Retrieval;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// What ALA reads from the validation rows of an embedding task after a student's steps: the reward metric (e.g.
/// Recall@1 of the validation rows ranked against each other) and how the distances d in [0, 2] between their
/// L2-normalised embeddings fall into <see cref="Bins"/> equal bins, separately for positive pairs (same label) and
/// negative pairs.
/// </summary>
public sealed class EmbeddingValidationStatistics
{
    private const int QueryChunk = 1024;

    private EmbeddingValidationStatistics(double metric, double[] positiveShare, double[] negativeShare, double meanPositive, double meanNegative)
    {
        Metric = metric;
        PositiveShare = positiveShare;
        NegativeShare = negativeShare;
        MeanPositiveDistance = meanPositive;
        MeanNegativeDistance = meanNegative;
    }

    /// <summary>The reward metric's value.</summary>
    public double Metric { get; }

    /// <summary>The number of distance bins, each 2 / Bins wide.</summary>
    public int Bins => PositiveShare.Count;

    /// <summary>The fraction of positive pairs whose distance falls in each bin (sums to 1, or 0 without positive pairs).</summary>
    public IReadOnlyList<double> PositiveShare { get; }

    /// <summary>The fraction of negative pairs whose distance falls in each bin.</summary>
    public IReadOnlyList<double> NegativeShare { get; }

    /// <summary>The mean distance of positive pairs (0 without any).</summary>
    public double MeanPositiveDistance { get; }

    /// <summary>The mean distance of negative pairs (0 without any).</summary>
    public double MeanNegativeDistance { get; }

    /// <summary>Embeds <paramref name="validation"/> (int64 labels) with <paramref name="student"/> without graph and measures it.</summary>
    internal static EmbeddingValidationStatistics Measure(nn.Module<Tensor, Tensor> student, InMemoryDataset validation, RetrievalMetric metric, int bins)
    {
        using var scope = NewDisposeScope();
        return Of(Embed(student, validation), validation.Labels, metric, bins);
    }

    /// <summary>The reward metric alone (a window's intermediate checkpoints need no distance statistics).</summary>
    internal static double MeasureMetric(nn.Module<Tensor, Tensor> student, InMemoryDataset validation, RetrievalMetric metric)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return metric.Compute(Embed(student, validation), validation.Labels);
    }

    /// <summary>The validation rows' L2-normalised embeddings [N, D], in the caller's dispose scope.</summary>
    private static Tensor Embed(nn.Module<Tensor, Tensor> student, InMemoryDataset validation)
    {
        var chunks = new List<Tensor>();
        ValidationMetrics.ForEachChunk(student, validation, 2048, (outputs, _, _, _) =>
            chunks.Add(nn.functional.normalize(outputs, p: 2, dim: 1).MoveToOuterDisposeScope()));
        return cat(chunks, 0);
    }

    /// <summary>The statistics of L2-normalised embeddings [N, D] with int64 labels [N] (the hand-checkable core of <see cref="Measure"/>).</summary>
    internal static EmbeddingValidationStatistics Of(Tensor x, Tensor y, RetrievalMetric metric, int bins)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double value = metric.Compute(x, y);
        long n = x.shape[0];
        var positive = zeros(bins, dtype: ScalarType.Float64, device: x.device);
        var negative = zeros(bins, dtype: ScalarType.Float64, device: x.device);
        double positiveSum = 0, negativeSum = 0;
        for (long start = 0; start < n; start += QueryChunk)
        {
            using var chunkScope = NewDisposeScope();
            long length = Math.Min(QueryChunk, n - start);
            var q = x.narrow(0, start, length);
            var d = q.matmul(x.t()).mul(-2).add(2).clamp_min(0).sqrt();
            var same = y.narrow(0, start, length).unsqueeze(1).eq(y.unsqueeze(0));
            var self = arange(start, start + length, device: x.device).unsqueeze(1).eq(arange(n, device: x.device).unsqueeze(0));
            var bin = d.nan_to_num(2.0).mul(bins / 2.0).floor().clamp(0, bins - 1).to_type(ScalarType.Int64);   // NaN: not an index
            var positiveMask = same.logical_and(self.logical_not());
            var negativeMask = same.logical_not();
            positive.add_(bin.masked_select(positiveMask).bincount(null, bins).to_type(ScalarType.Float64));
            negative.add_(bin.masked_select(negativeMask).bincount(null, bins).to_type(ScalarType.Float64));
            positiveSum += d.masked_select(positiveMask).sum().item<float>();
            negativeSum += d.masked_select(negativeMask).sum().item<float>();
        }
        double[] Shares(Tensor counts, out double total)
        {
            var c = counts.cpu().data<double>().ToArray();
            total = c.Sum();
            double t = total;
            return c.Select(v => t > 0 ? v / t : 0).ToArray();
        }
        var positiveShare = Shares(positive, out double positivePairs);
        var negativeShare = Shares(negative, out double negativePairs);
        return new EmbeddingValidationStatistics(value, positiveShare, negativeShare,
            positivePairs > 0 ? positiveSum / positivePairs : 0, negativePairs > 0 ? negativeSum / negativePairs : 0);
    }
}
