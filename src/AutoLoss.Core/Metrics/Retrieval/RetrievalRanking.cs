using static TorchSharp.torch;

namespace AutoLoss.Core.Metrics.Retrieval;

/// <summary>
/// Retrieval over a set of embeddings: every row is a query against all the other rows, ranked by Euclidean distance of
/// the L2-normalised embeddings (ties in row order). Queries run in chunks, so memory is chunk x rows, not rows^2.
/// </summary>
public static class RetrievalRanking
{
    /// <summary>Recall@k for each k: the share of queries with a row of their own label among their k nearest other rows.
    /// A query whose label has no other row counts as a miss.</summary>
    /// <param name="embeddings">Embeddings [N, D] (any scale; normalised here).</param>
    /// <param name="labels">Labels [N] (int64).</param>
    /// <param name="ks">The k values, each >= 1.</param>
    public static double[] RecallAtK(Tensor embeddings, Tensor labels, IReadOnlyList<int> ks)
    {
        Check(embeddings, labels);
        if (ks.Count == 0 || ks.Any(k => k < 1)) throw new ArgumentException("Every k must be >= 1.", nameof(ks));
        long n = embeddings.shape[0];
        var hits = new long[ks.Count];
        int kMax = (int)Math.Min(ks.Max(), n - 1);
        if (n < 2 || kMax < 1) return new double[ks.Count];
        ForEachChunk(embeddings, labels, kMax, (same, _) =>
        {
            // same [chunk, kMax]: whether the i-th nearest row shares the query's label.
            var firstHit = same.to_type(ScalarType.Int32).cumsum(1).gt(0);
            for (int j = 0; j < ks.Count; j++)
            {
                using var column = firstHit.select(1, Math.Min(ks[j], kMax) - 1);
                using var count = column.sum();
                hits[j] += count.item<long>();
            }
        });
        return hits.Select(h => h / (double)n).ToArray();
    }

    /// <summary>Mean average precision at R: for a query with R other rows of its label, (1/R) sum_{i &lt;= R} P@i x rel(i)
    /// over its R nearest rows; queries with R = 0 are left out.</summary>
    public static double MeanAveragePrecisionAtR(Tensor embeddings, Tensor labels)
    {
        Check(embeddings, labels);
        long n = embeddings.shape[0];
        if (n < 2) return 0;
        using var scope = NewDisposeScope();
        var counts = labels.bincount(null, 0);
        // R of every row: the rows of its label, itself excepted.
        var r = counts.index_select(0, labels).sub(1);
        long rMax = r.max().item<long>();
        if (rMax == 0) return 0;
        double sum = 0;
        long queries = 0;
        ForEachChunk(embeddings, labels, (int)Math.Min(rMax, n - 1), (same, rows) =>
        {
            var rq = r.index_select(0, rows).to_type(ScalarType.Float64);        // [chunk]
            var rank = arange(1, same.shape[1] + 1, dtype: ScalarType.Float64).unsqueeze(0);
            var withinR = rank.le(rq.unsqueeze(1));
            var relevant = same.to_type(ScalarType.Float64).mul(withinR.to_type(ScalarType.Float64));
            var precision = relevant.cumsum(1).div(rank);
            var ap = precision.mul(relevant).sum(1).div(rq.clamp_min(1));
            var counted = rq.gt(0);
            sum += ap.mul(counted.to_type(ScalarType.Float64)).sum().item<double>();
            queries += counted.sum().item<long>();
        });
        return queries == 0 ? 0 : sum / queries;
    }

    /// <summary>Few-shot classification: the label of each query's nearest reference row (by distance of the
    /// L2-normalised embeddings), e.g. a handful of labelled examples per class never seen in training.</summary>
    /// <param name="queries">Query embeddings [N, D].</param>
    /// <param name="references">Reference embeddings [R, D].</param>
    /// <param name="referenceLabels">Reference labels [R] (int64).</param>
    /// <returns>Predicted labels [N] (int64).</returns>
    public static Tensor NearestReferenceLabels(Tensor queries, Tensor references, Tensor referenceLabels)
    {
        Check(references, referenceLabels);
        if (queries.dim() != 2 || queries.shape[1] != references.shape[1])
            throw new ArgumentException($"Queries must be [N, {references.shape[1]}]; they are [{string.Join(",", queries.shape)}].", nameof(queries));
        if (references.shape[0] == 0) throw new ArgumentException("At least one reference row is needed.", nameof(references));
        using var scope = NewDisposeScope();
        var q = nn.functional.normalize(queries.detach().to_type(ScalarType.Float32), p: 2, dim: 1);
        var r = nn.functional.normalize(references.detach().to_type(ScalarType.Float32), p: 2, dim: 1);
        return referenceLabels.index_select(0, q.matmul(r.t()).argmax(1)).MoveToOuterDisposeScope();
    }

    /// <summary>Calls <paramref name="visit"/> with, for each chunk of queries, whether each of their
    /// <paramref name="k"/> nearest other rows shares their label [chunk, k] (bool) and the chunk's row indices.</summary>
    private static void ForEachChunk(Tensor embeddings, Tensor labels, int k, Action<Tensor, Tensor> visit, int chunk = 1024)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.normalize(embeddings.detach().to_type(ScalarType.Float32), p: 2, dim: 1);
        long n = x.shape[0];
        for (long start = 0; start < n; start += chunk)
        {
            using var inner = NewDisposeScope();
            long size = Math.Min(chunk, n - start);
            var rows = arange(start, start + size, dtype: ScalarType.Int64, device: x.device);
            // For unit vectors the squared distance is 2 - 2 cos, so the nearest rows have the largest cosine.
            var similarity = x.narrow(0, start, size).matmul(x.t());
            similarity.scatter_(1, rows.unsqueeze(1), full([size, 1], double.NegativeInfinity, device: x.device));
            var nearest = similarity.topk(k, dim: 1, largest: true, sorted: true).indexes;
            var same = labels.index_select(0, nearest.flatten()).view(size, k).eq(labels.narrow(0, start, size).unsqueeze(1));
            visit(same, rows);
        }
    }

    private static void Check(Tensor embeddings, Tensor labels)
    {
        if (embeddings.dim() != 2) throw new ArgumentException($"Embeddings must be [N, D]; they have {embeddings.dim()} dimensions.", nameof(embeddings));
        if (labels.dim() != 1 || labels.shape[0] != embeddings.shape[0])
            throw new ArgumentException($"Labels must be [N] with N = {embeddings.shape[0]}; they are [{string.Join(",", labels.shape)}].", nameof(labels));
        if (labels.dtype != ScalarType.Int64) throw new ArgumentException($"Labels must be int64, not {labels.dtype}.", nameof(labels));
        if (labels.numel() == 0) return;
        using var min = labels.min();
        if (min.item<long>() < 0) throw new ArgumentException("Labels must be >= 0.", nameof(labels));
    }
}
