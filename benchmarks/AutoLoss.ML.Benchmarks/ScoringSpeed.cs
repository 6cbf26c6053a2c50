using System.Diagnostics;
using AutoLoss;
using AutoLoss.ML.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace AutoLoss.ML.Benchmarks;

internal sealed record ScoringResult(
    int TransformRows, int TransformRepeats, double TransformRowsPerSecond, double[] TransformSeconds,
    int LatencyCalls, int LatencyWarmupCalls, double PredictionEngineMeanMicroseconds, double PredictionEngineP50Microseconds,
    double PredictionEngineP99Microseconds, double TargetMaxMeanMicroseconds,
    double BareForwardMeanMicroseconds, double BareForwardP50Microseconds, double BareForwardP99Microseconds,
    int NativeMemoryCalls = 0, double WorkingSetBeforeMegabytes = 0, double WorkingSetAfterMegabytes = 0);

/// <summary>Scoring speed of a fitted pipeline: Transform throughput, PredictionEngine latency against a bare TorchSharp
/// forward of the same architecture, and the process's working set over many PredictionEngine calls.</summary>
internal static class ScoringSpeed
{
    /// <summary>Untimed passes over the test rows before Transform is timed.</summary>
    public const int WarmupPasses = 10;

    private sealed class ScoreOutput
    {
        public float[] Score { get; set; } = [];
    }

    public static ScoringResult Measure(MLContext ml, ITransformer model, IDataView test, StudentSpec spec, int latencyCalls, int repeats, double maxLatencyMicroseconds)
    {
        // Transform throughput: materialise Score for every test row through a cursor.
        int testRows = (int)test.GetRowCount()!.Value;
        double TransformOnce()
        {
            var clock = Stopwatch.StartNew();
            var scored = model.Transform(test);
            using var cursor = scored.GetRowCursor([scored.Schema["Score"]]);
            var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
            VBuffer<float> score = default;
            double checksum = 0;
            while (cursor.MoveNext())
            {
                getter(ref score);
                checksum += score.GetValues()[0];
            }
            if (double.IsNaN(checksum)) throw new InvalidOperationException("NaN scores.");
            return clock.Elapsed.TotalSeconds;
        }
        // Warm-up to steady state: the first passes run the cursor's per-row code (MoveNext, getters) before the JIT's
        // optimised tier replaces it, and measured about 1.7x slower than later passes.
        for (int i = 0; i < WarmupPasses; i++) TransformOnce();
        var transformSeconds = Enumerable.Range(0, repeats).Select(_ => TransformOnce()).ToArray();
        double transformRowsPerSecond = testRows / Stats.Median(transformSeconds);
        Console.WriteLine($"Transform: {testRows} rows, median {Stats.Median(transformSeconds) * 1000:F1} ms -> {transformRowsPerSecond:N0} rows/s");

        // PredictionEngine single-row latency.
        var inputs = ml.Data.CreateEnumerable<DigitRow>(test, reuseRowObject: false).ToArray();
        int warmup = Math.Max(500, latencyCalls / 5);
        using var engine = ml.Model.CreatePredictionEngine<DigitRow, ScoreOutput>(model);
        var output = new ScoreOutput();
        for (int i = 0; i < warmup; i++) engine.Predict(inputs[i % inputs.Length], ref output);
        var latencies = new double[latencyCalls];
        double tickToMicro = 1e6 / Stopwatch.Frequency;
        for (int i = 0; i < latencyCalls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            engine.Predict(inputs[i % inputs.Length], ref output);
            latencies[i] = (Stopwatch.GetTimestamp() - start) * tickToMicro;
        }
        Console.WriteLine($"PredictionEngine: mean {latencies.Average():F1} us, p50 {Stats.Percentile(latencies, 50):F1} us, p99 {Stats.Percentile(latencies, 99):F1} us over {latencyCalls} calls");

        // Reference: the same network called directly from TorchSharp for one row (tensor in, forward,
        // softmax, copy out), i.e. the floor any per-row scorer on libtorch pays.
        var bareLatencies = BareForwardLatency(spec, inputs, warmup, latencyCalls);
        Console.WriteLine($"Bare TorchSharp single-row forward: mean {bareLatencies.Average():F1} us, p50 {Stats.Percentile(bareLatencies, 50):F1} us, p99 {Stats.Percentile(bareLatencies, 99):F1} us");

        // Native memory over many calls: the working set after the calls above, then after as many again as warm-up
        // and latency calls together ten times over (a leak of a tensor per call would show as megabytes).
        int memoryCalls = 10 * (warmup + latencyCalls);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        double before = WorkingSetMegabytes();
        for (int i = 0; i < memoryCalls; i++) engine.Predict(inputs[i % inputs.Length], ref output);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        double after = WorkingSetMegabytes();
        Console.WriteLine($"Working set: {before:F1} MB -> {after:F1} MB after {memoryCalls:N0} more PredictionEngine calls");

        return new ScoringResult(testRows, repeats, transformRowsPerSecond, transformSeconds,
            latencyCalls, warmup, latencies.Average(), Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99), maxLatencyMicroseconds,
            bareLatencies.Average(), Stats.Percentile(bareLatencies, 50), Stats.Percentile(bareLatencies, 99), memoryCalls, before, after);
    }

    private static double WorkingSetMegabytes()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64 / (1024.0 * 1024);
    }

    private static double[] BareForwardLatency(StudentSpec spec, DigitRow[] inputs, int warmup, int calls)
    {
        random.manual_seed(1);
        using var net = spec.Build(Digits.FeatureCount, Digits.ClassCount);
        net.eval();
        var probabilities = new float[Digits.ClassCount];
        void Once(float[] features)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var x = tensor(features, [1, features.Length]);
            var p = nn.functional.softmax(net.forward(x), 1);
            p.data<float>().CopyTo(probabilities);
        }
        for (int i = 0; i < warmup; i++) Once(inputs[i % inputs.Length].Features);
        var result = new double[calls];
        double tickToMicro = 1e6 / Stopwatch.Frequency;
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Once(inputs[i % inputs.Length].Features);
            result[i] = (Stopwatch.GetTimestamp() - start) * tickToMicro;
        }
        return result;
    }
}
