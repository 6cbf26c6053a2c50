using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AutoLoss;
using AutoLoss.ML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Transforms;

namespace AutoLoss.ML.Benchmarks;

/// <summary>One fit of the <c>sparse</c> benchmark, measured in a child process of its own.</summary>
internal sealed record SparseRun(string Student, int Bits, long Rows, double FitSeconds, double RowsPerSecond, double PeakMegabytes,
    double BaselineMegabytes, double TestAuc, string Note);

/// <summary>
/// <c>sparse</c>: training throughput and peak memory on generated click logs whose ten fields are hashed into one bag
/// of 2^bits slots (ML.NET's <c>OneHotHashEncoding</c>, 10 non-zero values per row). The sparse-input student reads each
/// row's pairs; the same network on the densified vector (a first linear layer over every slot) is run where a dense
/// batch fits at all. Each fit runs in a fresh child process (hidden verb <c>sparse-child</c>), so its peak working set
/// is its own.
/// </summary>
internal static class SparseBenchmark
{
    private const string ResultPrefix = "SPARSE-RESULT ";
    private const int BatchSize = 512, EmbeddingSize = 16;

    public static int Run(CommandLine cl)
    {
        long rows = cl.Long("rows", 1_000_000, min: 1000);
        int bits = cl.Int("bits", 20, min: 4), denseBits = cl.Int("dense-bits", 14, min: 4);
        long denseRows = cl.Long("dense-rows", 100_000, min: 1000);
        string outDir = cl.String("out", "benchmarks/results");
        cl.RejectUnknown();
        Directory.CreateDirectory(outDir);
        var runs = new List<SparseRun>
        {
            Child("sparse", bits, rows),
            Child("sparse", denseBits, rows),
            Child("sparse", denseBits, denseRows),
            Child("dense", denseBits, denseRows),
        };
        double denseBatchGigabytes = BatchSize * Math.Pow(2, bits) * 4 / 1e9;
        Report.WriteJson(Path.Combine(outDir, "sparse.json"), new { rows, bits, denseBits, denseRows, runs, denseBatchGigabytes });
        var md = new StringBuilder();
        md.AppendLine("# Sparse features: training throughput and peak memory");
        md.AppendLine();
        md.AppendLine($"Generated click logs (`ClickData`, process 1): the ten fields hashed into one bag of 2^bits slots (`OneHotHashEncoding`, `OutputKind.Bag`), " +
                      $"10 non-zero values per row. Binary AdaptiveLoss trainer, cross-entropy, one epoch, Adam 0.003, batch {BatchSize}. " +
                      $"`sparse`: `SparseInputSpec` (embedding bag of {EmbeddingSize}, ReLU, then MLP(64)); `dense`: the same network on the densified vector " +
                      $"(MLP({EmbeddingSize},64), whose first layer is a linear map of every slot). Each fit runs in a fresh process; the peak is that process's peak working set " +
                      "(it includes the .NET runtime and libtorch, the baseline before the fit). Test AUC on 50,000 rows of the same process.");
        md.AppendLine();
        md.Append(Report.Table(["student", "slots", "training rows", "fit s", "rows/s", "peak MB", "baseline MB", "test AUC %", "note"],
            runs.Select(r => (IReadOnlyList<string>)[r.Student, $"2^{r.Bits}", r.Rows.ToString("N0", CultureInfo.InvariantCulture), r.FitSeconds.ToString("F1", CultureInfo.InvariantCulture),
                r.RowsPerSecond.ToString("N0", CultureInfo.InvariantCulture), r.PeakMegabytes.ToString("F0", CultureInfo.InvariantCulture),
                r.BaselineMegabytes.ToString("F0", CultureInfo.InvariantCulture), (100 * r.TestAuc).ToString("F2", CultureInfo.InvariantCulture), r.Note]), "llrrrrrrl"));
        md.AppendLine();
        md.AppendLine($"Dense at 2^{bits} slots was not run: one densified batch of {BatchSize} rows alone is {denseBatchGigabytes:F1} GB, and caching {rows:N0} rows " +
                      $"{rows * Math.Pow(2, bits) * 4 / 1e12:F1} TB; the sparse student caches them as {rows:N0} x 20 floats ({rows * 20 * 4 / 1e6:F0} MB).");
        md.AppendLine();
        md.AppendLine(Report.Environment().Markdown());
        md.AppendLine();
        md.AppendLine($"Reproduce: `dotnet run -c Release --project benchmarks/AutoLoss.ML.Benchmarks -- sparse --rows {rows} --bits {bits} --dense-bits {denseBits} --dense-rows {denseRows} --out {outDir}`");
        File.WriteAllText(Path.Combine(outDir, "sparse.md"), md.ToString());
        Console.WriteLine(md);
        return 0;
    }

    private static SparseRun Child(string student, int bits, long rows)
    {
        var psi = MemoryBenchmark.ChildStartInfo();
        foreach (var a in new[] { "sparse-child", "--student", student, "--bits", bits.ToString(CultureInfo.InvariantCulture), "--rows", rows.ToString(CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(a);
        psi.RedirectStandardOutput = true;
        psi.UseShellExecute = false;
        using var child = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the sparse child process.");
        string? result = null;
        while (child.StandardOutput.ReadLine() is { } line)
        {
            Console.WriteLine(line);
            if (line.StartsWith(ResultPrefix, StringComparison.Ordinal)) result = line[ResultPrefix.Length..];
        }
        child.WaitForExit();
        return result is null
            ? new SparseRun(student, bits, rows, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, $"failed (exit code {child.ExitCode})")
            : JsonSerializer.Deserialize<SparseRun>(result)!;
    }

    /// <summary>The hidden <c>sparse-child</c> verb: one fit, then the result line.</summary>
    public static int RunChild(CommandLine cl)
    {
        string student = cl.String("student", "sparse");
        int bits = cl.Int("bits", 20, min: 4);
        long rows = cl.Long("rows", 1_000_000, min: 1);
        cl.RejectUnknown();
        using var self = Process.GetCurrentProcess();
        var ml = new MLContext(seed: 1);
        var process = new ClickProcess(1);
        var fields = process.Fields.Select(f => f.Name).ToArray();
        var hashing = ml.Transforms.Concatenate("Fields", fields)
            .Append(ml.Transforms.Categorical.OneHotHashEncoding("Features", "Fields", OneHotEncodingEstimator.OutputKind.Bag, numberOfBits: bits));
        var train = ClickData.Generate(ml, process, rows, rowSeed: 1);
        var featurise = hashing.Fit(train);
        self.Refresh();
        double baseline = self.WorkingSet64 / 1048576.0;
        var options = new AdaptiveLossBinaryTrainer.Options
        {
            Student = student == "sparse"
                ? new SparseInputSpec { EmbeddingSize = EmbeddingSize, Body = new MlpSpec { HiddenSizes = [64] } }
                : new MlpSpec { HiddenSizes = [EmbeddingSize, 64] },
            NumberOfEpochs = 1, BatchSize = BatchSize, Optimizer = OptimizerKind.Adam, LearningRate = 0.003, Device = ComputeDevice.Cpu, Seed = 1,
        };
        var clock = Stopwatch.StartNew();
        using var model = ml.BinaryClassification.Trainers.AdaptiveLoss(options).Fit(featurise.Transform(train));
        double seconds = clock.Elapsed.TotalSeconds;
        var test = featurise.Transform(ClickData.Generate(ml, process, 50_000, rowSeed: 3));
        double auc = ml.BinaryClassification.Evaluate(model.Transform(test)).AreaUnderRocCurve;
        self.Refresh();
        var run = new SparseRun(student, bits, rows, seconds, rows / seconds, self.PeakWorkingSet64 / 1048576.0, baseline, auc,
            $"{(rows * (student == "sparse" ? 20.0 : Math.Pow(2, bits)) * 4 <= options.MaxCacheMegabytes * 1048576.0 ? "cached" : "streamed")}: {model.Student}");
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(run));
        return 0;
    }
}
