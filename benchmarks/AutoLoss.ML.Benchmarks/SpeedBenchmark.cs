using System.Diagnostics;
using System.Globalization;
using System.Text;
using AutoLoss;
using AutoLoss.Core.Students;
using AutoLoss.Core.Teaching;
using AutoLoss.Core.Training;
using AutoLoss.ML.Datasets;
using AutoLoss.ML.Scoring;
using AutoLoss.ML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace AutoLoss.ML.Benchmarks;

internal sealed record ThroughputResult(
    int Rows, int Epochs, int BatchSize, int Repeats, string Student,
    double TrainerFitRowsPerSecond, double TrainerLoopRowsPerSecond, double BareLoopRowsPerSecond,
    double OverheadRatioFit, double OverheadRatioLoop, double TargetMaxRatio,
    double[] TrainerFitSeconds, double[] TrainerLoopSeconds, double[] BareLoopSeconds);

internal sealed record SpeedReport(EnvironmentInfo Environment, ThroughputResult Throughput, ScoringResult Scoring, MemoryResult? Memory, OnnxScoringResult? Onnx = null);

/// <summary>
/// <c>speed</c>: training throughput of the trainer against a bare TorchSharp loop, scoring speed
/// (Transform and PredictionEngine), and peak memory of a streaming fit in a child process.
/// </summary>
internal static class SpeedBenchmark
{
    private const double MaxOverheadRatio = 1.25;

    /// <summary>The students the command measures, with their PredictionEngine latency targets.</summary>
    private static readonly Dictionary<string, (Func<StudentSpec> Create, double MaxLatencyMicroseconds)> Students = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mlp"] = (() => new MlpSpec { HiddenSizes = [500, 300] }, 100),
        ["lenet"] = (() => ConvNetSpec.LeNet5(), 1000),
    };

    public static int Run(CommandLine cl)
    {
        string outDir = cl.String("out", "benchmarks/results");
        int epochs = cl.Int("epochs", 5, min: 1);
        int repeats = cl.Int("repeats", 3, min: 1);
        int latencyCalls = cl.Int("latency-calls", 5000, min: 1);
        long memoryRows = cl.Long("memory-rows", 1_000_000, min: 1);
        bool skipMemory = cl.Has("skip-memory");
        bool plot = !cl.Has("no-plot");
        string studentName = cl.String("student", "mlp");
        cl.RejectUnknown();
        if (!Students.TryGetValue(studentName, out var student))
            throw new UsageException($"Unknown student '{studentName}'; known: {string.Join(", ", Students.Keys)}.");
        var spec = student.Create();
        string stem = studentName == "mlp" ? "speed" : $"speed-{studentName}";

        var env = Report.Environment();
        Console.WriteLine(env.Markdown());

        var ml = new MLContext(seed: 1);
        var (train, test) = Digits.LoadSplit(ml);
        var keyModel = ml.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        var keyedTrain = keyModel.Transform(train);

        // ---- Training throughput -------------------------------------------------------------
        var arrays = Digits.LoadArrays();
        using var bare = new BareTorchLoop(arrays.GatherFeatures(arrays.TrainIndices), arrays.GatherLabels(arrays.TrainIndices), Digits.FeatureCount, Digits.ClassCount);
        int rows = bare.Rows;

        Console.WriteLine($"Training throughput: {rows} rows x {epochs} epochs, {spec}, batch 100, SGD 0.1 m0.9; warm-up, then {repeats} alternating repeats.");
        // Warm-up: JIT, libtorch kernels and allocator caches for both paths.
        using (FitTrainer(ml, keyedTrain, spec, 1, out _, out _)) { }
        bare.Train(spec, 1, 100, 0.1, 0.9, seed: 1);

        var trainerFit = new List<double>();
        var trainerLoop = new List<double>();
        var bareLoop = new List<double>();
        AdaptiveLossMulticlassTransformer? scoringModel = null;
        for (int r = 0; r < repeats; r++)
        {
            var model = FitTrainer(ml, keyedTrain, spec, epochs, out double fitSeconds, out double loopSeconds);
            if (scoringModel is null) scoringModel = model; else model.Dispose();
            trainerFit.Add(fitSeconds);
            trainerLoop.Add(loopSeconds);
            var clock = Stopwatch.StartNew();
            bare.Train(spec, epochs, 100, 0.1, 0.9, seed: 1 + r);
            bareLoop.Add(clock.Elapsed.TotalSeconds);
            Console.WriteLine($"  repeat {r + 1}: trainer Fit {fitSeconds:F2} s (loop {loopSeconds:F2} s), bare loop {bareLoop[^1]:F2} s");
        }
        double total = (double)rows * epochs;
        var throughput = new ThroughputResult(rows, epochs, 100, repeats, spec.ToString(),
            total / Stats.Median(trainerFit), total / Stats.Median(trainerLoop), total / Stats.Median(bareLoop),
            Stats.Median(trainerFit) / Stats.Median(bareLoop), Stats.Median(trainerLoop) / Stats.Median(bareLoop), MaxOverheadRatio,
            [.. trainerFit], [.. trainerLoop], [.. bareLoop]);

        // ---- Scoring --------------------------------------------------------------------------
        ScoringResult scoring;
        OnnxScoringResult onnx;
        using (scoringModel)
        {
            var chain = keyModel.Append(scoringModel!);
            scoring = ScoringSpeed.Measure(ml, chain, test, spec, latencyCalls, repeats: 5, student.MaxLatencyMicroseconds);
            onnx = OnnxScoringSpeed.Measure(ml, scoringModel!, test, latencyCalls, repeats: 5);
        }

        // ---- Memory (child process) -----------------------------------------------------------
        MemoryResult? memory = null;
        if (!skipMemory)
        {
            Console.WriteLine($"Memory: child process, 1 streaming epoch over {memoryRows:N0} synthetic rows x 100 features, MLP(64), batch 100 ...");
            memory = MemoryBenchmark.RunChild(memoryRows, features: 100, classes: 10, hidden: [64], batchSize: 100);
        }

        var report = new SpeedReport(env, throughput, scoring, memory, onnx);
        Directory.CreateDirectory(outDir);
        Report.WriteJson(Path.Combine(outDir, stem + ".json"), report);
        string tables = Tables(report);
        File.WriteAllText(Path.Combine(outDir, stem + ".md"), Markdown(report, tables, studentName));
        if (plot)
            Plots.ThroughputBars(Path.Combine(outDir, stem + "-throughput.png"),
                [("trainer Fit", throughput.TrainerFitRowsPerSecond), ("trainer loop only", throughput.TrainerLoopRowsPerSecond), ("bare TorchSharp loop", throughput.BareLoopRowsPerSecond)],
                $"digits, {spec}, SGD m0.9, batch 100, cached");
        Console.WriteLine();
        Console.Write(tables);
        Console.WriteLine($"Wrote {Path.Combine(outDir, stem + ".json")}, {Path.Combine(outDir, stem + ".md")}");
        return 0;
    }

    /// <summary>Fits the trainer alone (label already keyed, data cached in memory) and times the whole
    /// Fit and the training loop (the elapsed time of the last epoch summary).</summary>
    private static AdaptiveLossMulticlassTransformer FitTrainer(MLContext ml, IDataView keyedTrain, StudentSpec spec, int epochs, out double fitSeconds, out double loopSeconds)
    {
        EpochSummary? last = null;
        var trainer = ml.MulticlassClassification.Trainers.AdaptiveLoss(new AdaptiveLossMulticlassTrainer.Options
        {
            NumberOfEpochs = epochs,
            BatchSize = 100,
            LearningRate = 0.1,
            Momentum = 0.9,
            Student = spec,
            Loss = LossOptions.CrossEntropy(),
            Caching = DataCaching.InMemory,
            Device = ComputeDevice.Cpu,
            Seed = 1,
            Progress = s => last = s,
        });
        var clock = Stopwatch.StartNew();
        var model = trainer.Fit(keyedTrain);
        fitSeconds = clock.Elapsed.TotalSeconds;
        loopSeconds = last!.Elapsed.TotalSeconds;
        return model;
    }

    private static string Tables(SpeedReport r)
    {
        var t = r.Throughput;
        var s = r.Scoring;
        var sb = new StringBuilder();
        sb.AppendLine($"Training throughput ({t.Rows:N0} digits rows x {t.Epochs} epochs, {t.Student}, batch {t.BatchSize}, SGD 0.1 m0.9, cached; median of {t.Repeats}):");
        sb.AppendLine();
        sb.Append(Report.Table(["path", "rows/s", "median s", "vs bare loop"],
        [
            ["trainer Fit (end to end: read IDataView, cache, train, build scorer)", Report.F(t.TrainerFitRowsPerSecond, 0), Report.F(Stats.Median(t.TrainerFitSeconds), 2), Report.F(t.OverheadRatioFit, 2) + "x"],
            ["trainer training loop only (epoch summaries' elapsed)", Report.F(t.TrainerLoopRowsPerSecond, 0), Report.F(Stats.Median(t.TrainerLoopSeconds), 2), Report.F(t.OverheadRatioLoop, 2) + "x"],
            ["bare TorchSharp loop (same tensors, student, optimiser)", Report.F(t.BareLoopRowsPerSecond, 0), Report.F(Stats.Median(t.BareLoopSeconds), 2), "1.00x"],
        ]));
        sb.AppendLine();
        sb.AppendLine($"Target: trainer Fit <= {t.TargetMaxRatio:F2}x the bare loop's time -> {(t.OverheadRatioFit <= t.TargetMaxRatio ? "met" : "NOT met")} ({t.OverheadRatioFit:F2}x).");
        sb.AppendLine();
        sb.AppendLine($"Scoring ({t.Student} trained {t.Epochs} epochs; pipeline MapValueToKey -> AdaptiveLoss; 2,000 digits test rows):");
        sb.AppendLine();
        sb.Append(Report.Table(["measure", "value"],
        [
            [$"Transform, Score materialised through a cursor ({s.TransformRows:N0} rows, median of {s.TransformRepeats} after {ScoringSpeed.WarmupPasses} warm-up passes)", Report.F(s.TransformRowsPerSecond, 0) + " rows/s"],
            [$"PredictionEngine.Predict mean ({s.LatencyCalls:N0} calls after {s.LatencyWarmupCalls:N0} warm-up)", Report.F(s.PredictionEngineMeanMicroseconds, 1) + " us"],
            ["PredictionEngine.Predict p50", Report.F(s.PredictionEngineP50Microseconds, 1) + " us"],
            ["PredictionEngine.Predict p99", Report.F(s.PredictionEngineP99Microseconds, 1) + " us"],
            ["reference: bare TorchSharp single-row forward + softmax, mean", Report.F(s.BareForwardMeanMicroseconds, 1) + " us"],
            ["reference: bare TorchSharp single-row forward + softmax, p50 / p99", $"{Report.F(s.BareForwardP50Microseconds, 1)} / {Report.F(s.BareForwardP99Microseconds, 1)} us"],
            ["PredictionEngine overhead over the bare forward (p50 difference)", Report.F(s.PredictionEngineP50Microseconds - s.BareForwardP50Microseconds, 1) + " us"],
            .. (s.NativeMemoryCalls > 0
                ? new[] { new[] { $"process working set after warm-up -> after {s.NativeMemoryCalls:N0} more PredictionEngine calls", $"{Report.F(s.WorkingSetBeforeMegabytes, 1)} -> {Report.F(s.WorkingSetAfterMegabytes, 1)} MB" } }
                : []),
        ], "lr"));
        sb.AppendLine();
        sb.AppendLine($"Target: PredictionEngine mean < {s.TargetMaxMeanMicroseconds:F0} us -> {(s.PredictionEngineMeanMicroseconds < s.TargetMaxMeanMicroseconds ? "met" : "NOT met")}.");
        if (r.Onnx is { } o)
        {
            sb.AppendLine();
            sb.AppendLine($"The same student exported with `ExportToOnnx` ({o.ModelBytes / 1024:N0} KiB) and scored by ONNX Runtime (default session options) on the same rows:");
            sb.AppendLine();
            sb.Append(Report.Table(["measure", "ONNX Runtime", "AdaptiveLoss transformer"],
            [
                [$"batches of {o.BatchSize} rows (the transformer: Transform)", Report.F(o.BatchRowsPerSecond, 0) + " rows/s", Report.F(s.TransformRowsPerSecond, 0) + " rows/s"],
                ["single row, mean (the transformer: PredictionEngine)", Report.F(o.SingleRowMeanMicroseconds, 1) + " us", Report.F(s.PredictionEngineMeanMicroseconds, 1) + " us"],
                ["single row, p50 / p99", $"{Report.F(o.SingleRowP50Microseconds, 1)} / {Report.F(o.SingleRowP99Microseconds, 1)} us", $"{Report.F(s.PredictionEngineP50Microseconds, 1)} / {Report.F(s.PredictionEngineP99Microseconds, 1)} us"],
            ], "lrr"));
        }
        if (r.Memory is { } m)
        {
            sb.AppendLine();
            sb.AppendLine($"Memory (child process; Caching = Streaming; {m.Rows:N0} synthetic rows x {m.Features} features, {m.Classes} classes, MLP({string.Join(",", m.HiddenSizes)}), batch {m.BatchSize}, 1 epoch):");
            sb.AppendLine();
            sb.Append(Report.Table(["measure", "value"],
            [
                ["peak working set (child's own VmHWM at exit)", Report.F(m.PeakWorkingSetMegabytes, 0) + " MB"],
                ["peak working set (sampled by the parent every 50 ms)", Report.F(m.SampledPeakWorkingSetMegabytes, 0) + " MB"],
                ["working set before Fit (runtime + libtorch loaded)", Report.F(m.BaselineWorkingSetMegabytes, 0) + " MB"],
                ["features if materialised (rows x features x 4 bytes)", Report.F(m.MaterialisedDataMegabytes, 0) + " MB"],
                ["Fit throughput (label census pass + 1 training epoch)", Report.F(m.FitRowsPerSecond, 0) + " rows/s"],
                ["training-loop throughput (epoch elapsed)", Report.F(m.LoopRowsPerSecond, 0) + " rows/s"],
                ["managed bytes allocated during Fit", Report.F(m.AllocatedMegabytes, 0) + " MB"],
            ], "lr"));
            sb.AppendLine();
            sb.AppendLine($"Target: peak < {m.TargetMaxPeakMegabytes:F0} MB -> {(m.PeakWorkingSetMegabytes < m.TargetMaxPeakMegabytes ? "met" : "NOT met")}.");
        }
        return sb.ToString();
    }

    private static string Markdown(SpeedReport r, string tables, string studentName)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Speed and memory");
        sb.AppendLine();
        sb.Append(tables);
        sb.AppendLine();
        sb.AppendLine(r.Environment.Markdown() + " Other processes may have shared the machine; treat small differences as noise.");
        sb.AppendLine();
        sb.AppendLine("Reproduce: `dotnet run -c Release --project benchmarks/AutoLoss.ML.Benchmarks -- speed" + (studentName == "mlp" ? "" : $" --student {studentName} --skip-memory") +
                      (BenchmarkOptions.TorchThreads > 0 ? $" --threads {BenchmarkOptions.TorchThreads}" : "") +
                      $" --repeats {r.Throughput.Repeats} --out benchmarks/results`");
        return sb.ToString();
    }
}
