using AutoLoss.Core.Data;
using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.Ala;

/// <summary>
/// What ALA reads from the validation data after a student's steps: the metric M(f_w, D_val) and the
/// confusion matrix of mean -log p, C_ij = sum_d -[y_d = i] log p_j(x_d) / sum_d [y_d = i] (row = true class
/// i, column = class j). A class absent from the validation data gets the row ln C, the value of a student
/// that predicts 1/C.
/// </summary>
internal sealed class AlaValidationView
{
    private AlaValidationView(double metric, double[,] confusion)
    {
        Metric = metric;
        Confusion = confusion;
    }

    /// <summary>M(f_w, D_val) as the metric computes it.</summary>
    public double Metric { get; }

    /// <summary>C, the C x C confusion matrix of mean -log p.</summary>
    public double[,] Confusion { get; }

    /// <summary>Evaluates <paramref name="student"/> on <paramref name="validation"/> (int64 labels) without graph.</summary>
    public static AlaValidationView Measure(nn.Module<Tensor, Tensor> student, InMemoryDataset validation, AlaMetric metric, int classes)
    {
        var probabilities = new float[validation.Count * classes];
        var labels = new long[validation.Count];
        Metrics.ValidationMetrics.ForEachChunk(student, validation, 2048, (logits, y, start, length) =>
        {
            nn.functional.softmax(logits, 1).to(CPU).data<float>().CopyTo(probabilities.AsSpan((int)(start * classes), (int)(length * classes)));
            y.to(CPU).data<long>().CopyTo(labels.AsSpan((int)start, (int)length));
        });
        return FromProbabilities(labels, probabilities, metric, classes);
    }

    /// <summary>Builds the view from labels and row-major probabilities [N x C] (the hand-checkable core of <see cref="Measure"/>).</summary>
    public static AlaValidationView FromProbabilities(long[] labels, float[] probabilities, AlaMetric metric, int classes)
    {
        int n = labels.Length;
        var rows = new float[n][];
        var y = new int[n];
        var sums = new double[classes, classes];
        var counts = new int[classes];
        for (int d = 0; d < n; d++)
        {
            y[d] = (int)labels[d];
            rows[d] = new float[classes];
            Array.Copy(probabilities, (long)d * classes, rows[d], 0, classes);
            counts[y[d]]++;
            for (int j = 0; j < classes; j++)
                sums[y[d], j] -= Math.Log(Math.Max(rows[d][j], 1e-12f));
        }
        var confusion = new double[classes, classes];
        for (int i = 0; i < classes; i++)
            for (int j = 0; j < classes; j++)
                confusion[i, j] = counts[i] > 0 ? sums[i, j] / counts[i] : Math.Log(classes);
        return new AlaValidationView(metric.Compute(y, rows), confusion);
    }
}
