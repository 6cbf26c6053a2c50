using static TorchSharp.torch;

namespace AutoLoss.Core.Metrics.Retrieval;

/// <summary>
/// A validation metric of an embedding task computed by retrieval among the validation rows (<see cref="RetrievalRanking"/>):
/// Recall@1, mean average precision at R, or the retrieval error 1 - Recall@1. It keeps the validation embeddings
/// (rows x D floats) until the pass ends, since every row is ranked against all the others.
/// </summary>
public sealed class RetrievalMetric : ValidationMetric
{
    private readonly Func<Tensor, Tensor, double> _compute;

    private RetrievalMetric(string name, bool higherIsBetter, Func<Tensor, Tensor, double> compute)
    {
        Name = name;
        HigherIsBetter = higherIsBetter;
        _compute = compute;
    }

    /// <summary>Recall@1 (<see cref="MetricNames.RecallAt1"/>).</summary>
    public static RetrievalMetric RecallAt1 { get; } = new(MetricNames.RecallAt1, true, (x, y) => RetrievalRanking.RecallAtK(x, y, [1])[0]);

    /// <summary>Mean average precision at R (<see cref="MetricNames.MeanAveragePrecisionAtR"/>).</summary>
    public static RetrievalMetric MeanAveragePrecisionAtR { get; } = new(MetricNames.MeanAveragePrecisionAtR, true, RetrievalRanking.MeanAveragePrecisionAtR);

    /// <summary>1 - Recall@1 (<see cref="MetricNames.RetrievalError"/>), lower is better.</summary>
    public static RetrievalMetric RetrievalError { get; } = new(MetricNames.RetrievalError, false, (x, y) => 1 - RetrievalRanking.RecallAtK(x, y, [1])[0]);

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override bool HigherIsBetter { get; }

    /// <summary>The metric of L2-normalised <paramref name="embeddings"/> [N, D] with int64 <paramref name="labels"/> [N].</summary>
    internal double Compute(Tensor embeddings, Tensor labels) => _compute(embeddings, labels);

    /// <inheritdoc />
    public override IMetricAccumulator Start(long rows) => new Accumulator(_compute);

    /// <inheritdoc />
    public override string Format(double value) => $"validation {Name} {value:P2}";

    private sealed class Accumulator(Func<Tensor, Tensor, double> compute) : IMetricAccumulator
    {
        private readonly List<float[]> _embeddings = [];
        private readonly List<long[]> _labels = [];
        private long _width = -1;

        public void Add(Tensor outputs, Tensor labels, long firstRow)
        {
            if (outputs.dim() != 2 || labels.dim() != 1 || labels.shape[0] != outputs.shape[0] || labels.dtype != ScalarType.Int64)
                throw new ArgumentException($"Retrieval metrics need embeddings [B, D] and int64 labels [B]; got [{string.Join(",", outputs.shape)}] and [{string.Join(",", labels.shape)}] {labels.dtype}.");
            _width = outputs.shape[1];
            using var x = outputs.detach().to_type(ScalarType.Float32).cpu();
            using var y = labels.cpu();
            _embeddings.Add(x.data<float>().ToArray());
            _labels.Add(y.data<long>().ToArray());
        }

        public double Result()
        {
            if (_width < 0) return 0;
            using var scope = NewDisposeScope();
            var labels = tensor(_labels.SelectMany(l => l).ToArray());
            var embeddings = tensor(_embeddings.SelectMany(e => e).ToArray(), [labels.shape[0], _width]);
            return compute(embeddings, labels);
        }
    }
}
