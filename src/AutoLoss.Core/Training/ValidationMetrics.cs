using AutoLoss.Core.Data;
using AutoLoss.Core.Losses;
using static TorchSharp.torch;

namespace AutoLoss.Core.Training;

/// <summary>Validation metrics of a student on a cached dataset, computed in chunks without graph:
/// accuracy and log-loss for classification, the area under the precision-recall curve for binary
/// classification, mean squared error for regression.</summary>
public static class ValidationMetrics
{
    /// <summary>Evaluates a classifier <paramref name="student"/> on <paramref name="data"/> (int64 labels);
    /// returns (accuracy, mean -log p_y).</summary>
    /// <exception cref="ArgumentException">The labels are not class indices.</exception>
    public static (double Accuracy, double LogLoss) Evaluate(nn.Module<Tensor, Tensor> student, InMemoryDataset data, int chunkSize = 2048)
    {
        if (data.Labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"Accuracy and log-loss need int64 class labels; the validation labels are {data.Labels.dtype}.", nameof(data));
        double correct = 0, logLoss = 0;
        ForEachChunk(student, data, chunkSize, (output, y, _, _) =>
        {
            var logp = nn.functional.log_softmax(output, 1);
            correct += logp.argmax(1).eq(y).sum().item<long>();
            logLoss -= logp.gather(1, y.unsqueeze(1)).sum().item<float>();
        });
        return (correct / data.Count, logLoss / data.Count);
    }

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

    /// <summary>Area under the precision-recall curve of a binary (2-logit) <paramref name="student"/> on
    /// <paramref name="data"/> (int64 labels 0/1): <see cref="Teaching.Ala.AlaMetric.AveragePrecision"/> of
    /// the rows ranked by their logit margin z_1 - z_0 (the same order as p_1, without softmax rounding).</summary>
    /// <exception cref="ArgumentException">The labels are not int64 or the student does not have 2 outputs.</exception>
    public static double AreaUnderPrecisionRecallCurve(nn.Module<Tensor, Tensor> student, InMemoryDataset data, int chunkSize = 2048)
    {
        if (data.Labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"AUCPR needs int64 0/1 labels; the validation labels are {data.Labels.dtype}.", nameof(data));
        var scores = new float[data.Count];
        var positives = new bool[data.Count];
        ForEachChunk(student, data, chunkSize, (logits, y, start, length) =>
        {
            if (logits.shape.Length != 2 || logits.shape[1] != 2)
                throw new ArgumentException($"AUCPR needs a student with 2 outputs; it has shape [{string.Join(", ", logits.shape)}].", nameof(student));
            (logits[.., 1] - logits[.., 0]).cpu().data<float>().CopyTo(scores.AsSpan((int)start, (int)length));
            var labels = y.cpu().data<long>().ToArray();
            for (int i = 0; i < labels.Length; i++) positives[start + i] = labels[i] == 1;
        });
        return Teaching.Ala.AlaMetric.AveragePrecision(scores, positives);
    }

    /// <summary>Mean squared error, mean (f_w(x) - y)^2, of a one-output regression
    /// <paramref name="student"/> on <paramref name="data"/> (float32 targets). Unweighted, like
    /// <see cref="Evaluate"/>.</summary>
    /// <exception cref="ArgumentException">The labels are not float targets, or the student has more than one output.</exception>
    public static double MeanSquaredError(nn.Module<Tensor, Tensor> student, InMemoryDataset data, int chunkSize = 2048)
    {
        if (data.Labels.dtype != ScalarType.Float32)
            throw new ArgumentException($"Mean squared error needs float32 targets; the validation labels are {data.Labels.dtype}.", nameof(data));
        double sum = 0;
        ForEachChunk(student, data, chunkSize, (output, y, _, _) =>
            sum += SquaredError.PerExample(output, y).to_type(ScalarType.Float64).sum().item<double>());
        return sum / data.Count;
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
