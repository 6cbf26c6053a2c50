using AutoLoss.Core.Data;
using AutoLoss.Core.Losses;
using static TorchSharp.torch;

namespace AutoLoss.Core.Metrics;

/// <summary>Measures a student on a cached dataset in chunks, without graph: any set of <see cref="ValidationMetric"/>s
/// in one pass (<see cref="Measure"/>), and shorthands for the metrics teachers read directly.</summary>
public static class ValidationMetrics
{
    /// <summary>The value of every metric in <paramref name="metrics"/> (same order) for <paramref name="student"/> on
    /// <paramref name="data"/>, from one pass over the rows.</summary>
    public static double[] Measure(nn.Module<Tensor, Tensor> student, InMemoryDataset data, IReadOnlyList<ValidationMetric> metrics, int chunkSize = 2048)
    {
        var accumulators = metrics.Select(m => m.Start(data.Count)).ToArray();
        ForEachChunk(student, data, chunkSize, (output, y, start, _) =>
        {
            foreach (var accumulator in accumulators) accumulator.Add(output, y, start);
        });
        return accumulators.Select(a => a.Result()).ToArray();
    }

    /// <summary>Accuracy and mean -log p_y of a classifier on <paramref name="data"/> (int64 labels).</summary>
    /// <exception cref="ArgumentException">The labels are not class indices.</exception>
    public static (double Accuracy, double LogLoss) Evaluate(nn.Module<Tensor, Tensor> student, InMemoryDataset data, int chunkSize = 2048)
    {
        var values = Measure(student, data, [AccuracyMetric.Instance, LogLossMetric.Instance], chunkSize);
        return (values[0], values[1]);
    }

    /// <summary>Area under the precision-recall curve of a two-output classifier on <paramref name="data"/>.</summary>
    public static double AreaUnderPrecisionRecallCurve(nn.Module<Tensor, Tensor> student, InMemoryDataset data, int chunkSize = 2048) =>
        Measure(student, data, [AreaUnderPrecisionRecallCurveMetric.Instance], chunkSize)[0];

    /// <summary>Mean squared error of a one-output regressor on <paramref name="data"/> (float32 targets), unweighted.</summary>
    public static double MeanSquaredError(nn.Module<Tensor, Tensor> student, InMemoryDataset data, int chunkSize = 2048) =>
        Measure(student, data, [MeanSquaredErrorMetric.Instance], chunkSize)[0];

    /// <summary>Log-loss of a classifier <paramref name="student"/> on <paramref name="data"/> (int64 labels) at its best
    /// single temperature (<see cref="TemperatureScaledLogLoss"/>): how well the classes are separated, whatever the
    /// scale of the logits.</summary>
    /// <exception cref="ArgumentException">The labels are not int64 class indices of the student's outputs.</exception>
    public static double CalibratedLogLoss(nn.Module<Tensor, Tensor> student, InMemoryDataset data, int chunkSize = 2048)
    {
        if (data.Labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"Log-loss needs int64 class labels; the validation labels are {data.Labels.dtype}.", nameof(data));
        float[]? logits = null;
        var labels = new int[data.Count];
        int classes = 0;
        ForEachChunk(student, data, chunkSize, (output, y, start, length) =>
        {
            classes = (int)output.shape[1];
            logits ??= new float[data.Count * classes];
            output.to_type(ScalarType.Float32).cpu().data<float>().CopyTo(logits.AsSpan((int)start * classes, (int)length * classes));
            var ys = y.cpu().data<long>().ToArray();
            for (int i = 0; i < ys.Length; i++) labels[start + i] = (int)ys[i];
        });
        return logits is null ? double.NaN : TemperatureScaledLogLoss.Compute(logits, labels, classes).LogLoss;
    }

    /// <summary>Runs the student in eval mode without graph over <paramref name="data"/> in chunks, handing
    /// each chunk's (outputs, labels, first row, row count) to <paramref name="visit"/> inside its own dispose
    /// scope; restores the student's training mode afterwards.</summary>
    internal static void ForEachChunk(nn.Module<Tensor, Tensor> student, InMemoryDataset data, int chunkSize, Action<Tensor, Tensor, long, long> visit)
    {
        bool wasTraining = student.training;
        student.eval();
        try
        {
            using var noGrad = no_grad();
            for (long start = 0; start < data.Count; start += chunkSize)
            {
                using var scope = NewDisposeScope();
                long length = Math.Min(chunkSize, data.Count - start);
                var output = student.forward(data.Features.narrow(0, start, length));
                visit(output, data.Labels.narrow(0, start, length), start, length);
            }
        }
        finally
        {
            student.train(wasTraining);
        }
    }
}
