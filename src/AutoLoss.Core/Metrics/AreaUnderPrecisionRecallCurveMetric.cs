using static TorchSharp.torch;

namespace AutoLoss.Core.Metrics;

/// <summary>Validation area under the precision-recall curve of a two-output classifier:
/// <see cref="AveragePrecision.Compute"/> of the rows ranked by their logit margin z_1 - z_0 (the order of p_1,
/// without softmax rounding).</summary>
public sealed class AreaUnderPrecisionRecallCurveMetric : ValidationMetric
{
    /// <summary>The shared instance.</summary>
    public static AreaUnderPrecisionRecallCurveMetric Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => MetricNames.AreaUnderPrecisionRecallCurve;

    /// <inheritdoc />
    public override bool HigherIsBetter => true;

    /// <inheritdoc />
    public override IMetricAccumulator Start(long rows) => new Accumulator(rows);

    /// <inheritdoc />
    public override string Format(double value) => $"validation AUCPR {value:F4}";

    private sealed class Accumulator(long rows) : IMetricAccumulator
    {
        private readonly float[] _scores = new float[rows];
        private readonly bool[] _positives = new bool[rows];

        public void Add(Tensor outputs, Tensor labels, long firstRow)
        {
            if (labels.dtype != ScalarType.Int64)
                throw new ArgumentException($"AUCPR needs int64 0/1 labels; the validation labels are {labels.dtype}.", nameof(labels));
            if (outputs.shape.Length != 2 || outputs.shape[1] != 2)
                throw new ArgumentException($"AUCPR needs a student with 2 outputs; it has shape [{string.Join(", ", outputs.shape)}].", nameof(outputs));
            using var margin = outputs[.., 1] - outputs[.., 0];
            using var cpu = margin.cpu();
            cpu.data<float>().CopyTo(_scores.AsSpan((int)firstRow, (int)labels.shape[0]));
            using var y = labels.cpu();
            var values = y.data<long>().ToArray();
            for (int i = 0; i < values.Length; i++) _positives[firstRow + i] = values[i] == 1;
        }

        public double Result() => AveragePrecision.Compute(_scores, _positives);
    }
}
