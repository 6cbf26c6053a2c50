using System.Diagnostics;
using AutoLoss;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AutoLoss.ML.Benchmarks;

internal sealed record OnnxScoringResult(
    int Rows, int BatchSize, double BatchRowsPerSecond, int LatencyCalls, double SingleRowMeanMicroseconds,
    double SingleRowP50Microseconds, double SingleRowP99Microseconds, long ModelBytes);

/// <summary>The exported model's scoring speed under ONNX Runtime (default session options): batches of
/// <see cref="AdaptiveLossTransformerBase.ScoringBatchSize"/> rows as <c>Transform</c> scores them, and single rows as a
/// PredictionEngine does, on the same test rows.</summary>
internal static class OnnxScoringSpeed
{
    public static OnnxScoringResult Measure(MLContext ml, AdaptiveLossTransformerBase model, IDataView test, int latencyCalls, int repeats)
    {
        using var buffer = new MemoryStream();
        ml.Model.ExportToOnnx(model, buffer);
        var rows = test.GetColumn<VBuffer<float>>(model.FeatureColumnName).Select(v => v.DenseValues().ToArray()).ToArray();
        int features = model.FeatureCount, batch = AdaptiveLossTransformerBase.ScoringBatchSize;
        using var session = new InferenceSession(buffer.ToArray());
        string input = model.FeatureColumnName;
        string[] outputs = session.OutputMetadata.Keys.ToArray();

        double Run(int start, int count)
        {
            var data = new float[count * features];
            for (int r = 0; r < count; r++) rows[start + r].CopyTo(data, r * features);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, new DenseTensor<float>(data, [count, features]))], outputs);
            return results.First(r => r.Name == "Score").AsEnumerable<float>().First();
        }

        double BatchesOnce()
        {
            var clock = Stopwatch.StartNew();
            double checksum = 0;
            for (int start = 0; start < rows.Length; start += batch) checksum += Run(start, Math.Min(batch, rows.Length - start));
            if (double.IsNaN(checksum)) throw new InvalidOperationException("NaN scores.");
            return clock.Elapsed.TotalSeconds;
        }
        for (int i = 0; i < ScoringSpeed.WarmupPasses; i++) BatchesOnce();
        double rowsPerSecond = rows.Length / Stats.Median(Enumerable.Range(0, repeats).Select(_ => BatchesOnce()).ToArray());

        int warmup = Math.Max(500, latencyCalls / 5);
        for (int i = 0; i < warmup; i++) Run(i % rows.Length, 1);
        var latencies = new double[latencyCalls];
        double tickToMicro = 1e6 / Stopwatch.Frequency;
        for (int i = 0; i < latencyCalls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Run(i % rows.Length, 1);
            latencies[i] = (Stopwatch.GetTimestamp() - start) * tickToMicro;
        }
        Console.WriteLine($"ONNX Runtime: {rowsPerSecond:N0} rows/s in batches of {batch}; single row mean {latencies.Average():F1} us, p50 {Stats.Percentile(latencies, 50):F1} us, p99 {Stats.Percentile(latencies, 99):F1} us");
        return new OnnxScoringResult(rows.Length, batch, rowsPerSecond, latencyCalls, latencies.Average(), Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99), buffer.Length);
    }
}
