using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using AutoLoss;
using AutoLoss.Core.Students;
using AutoLoss.Core.Teaching;
using AutoLoss.Core.Training;
using AutoLoss.ML.Datasets;
using AutoLoss.ML.Trainers;
using Microsoft.ML;

namespace AutoLoss.ML.Benchmarks;

internal sealed record MemoryResult(
    long Rows, int Features, int Classes, int[] HiddenSizes, int BatchSize,
    double PeakWorkingSetMegabytes, double SampledPeakWorkingSetMegabytes, double BaselineWorkingSetMegabytes,
    double MaterialisedDataMegabytes, double FitSeconds, double LoopSeconds, double FitRowsPerSecond, double LoopRowsPerSecond,
    double AllocatedMegabytes, double TargetMaxPeakMegabytes);

/// <summary>What the child prints on its last line, after <see cref="ResultPrefix"/>.</summary>
internal sealed record ChildReport(double PeakWorkingSetBytes, double BaselineWorkingSetBytes, double FitSeconds, double LoopSeconds, double AllocatedBytes);

/// <summary>
/// Peak memory of a streaming fit, measured in a fresh child process (this program with the hidden
/// <c>memory-child</c> verb) so that nothing the parent allocated counts: the child's own peak
/// working set (VmHWM, <see cref="Process.PeakWorkingSet64"/>) at exit, cross-checked by the parent
/// sampling the child's working set.
/// </summary>
internal static class MemoryBenchmark
{
    private const string ResultPrefix = "MEMORY-RESULT ";
    private const double MaxPeakMegabytes = 2048;
    private const double Mb = 1024 * 1024;

    public static MemoryResult RunChild(long rows, int features, int classes, int[] hidden, int batchSize)
    {
        var psi = ChildStartInfo();
        foreach (var a in new[] { "memory-child", "--rows", rows.ToString(CultureInfo.InvariantCulture), "--features", features.ToString(CultureInfo.InvariantCulture),
                     "--classes", classes.ToString(CultureInfo.InvariantCulture), "--hidden", string.Join(",", hidden), "--batch-size", batchSize.ToString(CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(a);
        if (BenchmarkOptions.TorchThreads > 0)
        {
            psi.ArgumentList.Add("--threads");
            psi.ArgumentList.Add(BenchmarkOptions.TorchThreads.ToString(CultureInfo.InvariantCulture));
        }
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;

        using var child = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the memory child process.");
        var stdout = new List<string>();
        var stderr = new List<string>();
        child.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.Add(e.Data); };
        child.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.Add(e.Data); };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();

        long sampledPeak = 0;
        while (!child.WaitForExit(50))
        {
            try
            {
                child.Refresh();
                sampledPeak = Math.Max(sampledPeak, child.WorkingSet64);
            }
            catch (InvalidOperationException) { break; } // exited between the checks
        }
        child.WaitForExit();
        if (child.ExitCode != 0)
            throw new InvalidOperationException($"The memory child exited with code {child.ExitCode}:\n{string.Join("\n", stderr.Concat(stdout).TakeLast(30))}");
        string line = stdout.LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException("The memory child printed no result line:\n" + string.Join("\n", stdout.TakeLast(30)));
        var report = JsonSerializer.Deserialize<ChildReport>(line[ResultPrefix.Length..], Report.Json)!;

        var result = new MemoryResult(rows, features, classes, hidden, batchSize,
            report.PeakWorkingSetBytes / Mb, sampledPeak / Mb, report.BaselineWorkingSetBytes / Mb,
            rows * (double)features * 4 / Mb, report.FitSeconds, report.LoopSeconds, rows / report.FitSeconds, rows / report.LoopSeconds,
            report.AllocatedBytes / Mb, MaxPeakMegabytes);
        Console.WriteLine($"  peak working set {result.PeakWorkingSetMegabytes:F0} MB (sampled {result.SampledPeakWorkingSetMegabytes:F0} MB, baseline {result.BaselineWorkingSetMegabytes:F0} MB), " +
                          $"Fit {result.FitSeconds:F1} s -> {result.FitRowsPerSecond:N0} rows/s (loop {result.LoopRowsPerSecond:N0} rows/s)");
        return result;
    }

    /// <summary>Starts this same program: the apphost directly, or <c>dotnet app.dll</c> when run through the muxer.</summary>
    internal static ProcessStartInfo ChildStartInfo()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("Environment.ProcessPath is unknown.");
        string name = Path.GetFileNameWithoutExtension(process);
        if (name.Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            var psi = new ProcessStartInfo(process);
            psi.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
            return psi;
        }
        return new ProcessStartInfo(process);
    }

    /// <summary>The hidden <c>memory-child</c> verb: one streaming epoch, then the result line.</summary>
    public static int Child(CommandLine cl)
    {
        long rows = cl.Long("rows", 1_000_000, min: 1);
        int features = cl.Int("features", 100, min: 1);
        int classes = cl.Int("classes", 10, min: 2);
        int[] hidden = cl.IntList("hidden", "64");
        int batchSize = cl.Int("batch-size", 100, min: 1);
        cl.RejectUnknown();

        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Streaming(ml, rows, features, classes, seed: 7);
        EpochSummary? last = null;
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.AdaptiveLoss(new AdaptiveLossMulticlassTrainer.Options
            {
                NumberOfEpochs = 1,
                BatchSize = batchSize,
                LearningRate = 0.1,
                Student = new MlpSpec { HiddenSizes = hidden },
                Loss = LossOptions.CrossEntropy(),
                Caching = DataCaching.Streaming,
                Device = ComputeDevice.Cpu,
                Progress = s => last = s,
            }));

        GC.Collect();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        long baseline = self.WorkingSet64;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var model = pipeline.Fit(data);
        double fitSeconds = clock.Elapsed.TotalSeconds;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        AccuracyBenchmark.DisposeModel(model);
        Console.WriteLine($"train loss {last!.TrainLoss:F4}");

        self.Refresh();
        var report = new ChildReport(self.PeakWorkingSet64, baseline, fitSeconds, last.Elapsed.TotalSeconds, allocated);
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(report, Report.Json).ReplaceLineEndings(" "));
        return 0;
    }
}
