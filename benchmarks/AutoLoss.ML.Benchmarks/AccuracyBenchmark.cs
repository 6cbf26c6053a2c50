using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.ML;

namespace AutoLoss.ML.Benchmarks;

/// <summary>One method's results over all seeds (error in percent of test rows).</summary>
internal sealed record AccuracyResult(
    string Method, string Task, int Seeds, double MeanError, double StdError, double MeanFitSeconds,
    double[] Errors, double[] FitSeconds, int[] SeedValues, int Epochs);

/// <summary>
/// <c>accuracy</c>: for every method and every seed s = 1..N, a fresh <c>new MLContext(seed: s)</c>,
/// fit on the task's fixed training split and the test error on its fixed test split.
/// </summary>
internal static class AccuracyBenchmark
{
    public static int Run(CommandLine cl)
    {
        string taskName = cl.String("task", "digits");
        string[] methodNames = cl.List("methods", "ce,parametric,lightgbm,lbfgs");
        int seeds = cl.Int("seeds", 3, min: 1);
        int firstSeed = cl.Int("first-seed", 1);
        int epochs = cl.Int("epochs", 20, min: 1);
        int batchSize = cl.Int("batch-size", 100, min: 1);
        double learningRate = double.Parse(cl.String("learning-rate", "0.1"), CultureInfo.InvariantCulture);
        string outDir = cl.String("out", "benchmarks/results");
        bool plot = !cl.Has("no-plot");
        bool verbose = cl.Has("verbose");
        bool replace = cl.Has("replace");
        int shift = cl.Int("augment-shift", 0, min: 0);
        var schedule = Enum.Parse<LearningRateSchedule>(cl.String("schedule", "constant"), ignoreCase: true);
        string searchedLosses = cl.String("searched-losses", "benchmarks/results");
        cl.RejectUnknown();

        if (!Tasks.All.TryGetValue(taskName, out var task))
            throw new UsageException($"Unknown task '{taskName}'; known: {string.Join(", ", Tasks.All.Keys)}.");
        var methods = Methods.Create(new MethodSettings(epochs, batchSize, learningRate, task.NumberOfClasses, task.Student, shift > 0 ? new ImageAugmentation { MaxShift = shift } : null, schedule, searchedLosses));
        if (methodNames.Distinct(StringComparer.OrdinalIgnoreCase).Count() != methodNames.Length)
            throw new UsageException("--methods lists a method twice.");
        foreach (var name in methodNames)
            if (!methods.ContainsKey(name))
                throw new UsageException($"Unknown method '{name}'; known: {string.Join(", ", methods.Keys)}.");

        var env = Report.Environment();
        Console.WriteLine($"accuracy: task {task.Name}, methods {string.Join(",", methodNames)}, seeds {firstSeed}..{firstSeed + seeds - 1}, {epochs} epochs (students).");
        Console.WriteLine(env.Markdown());

        var results = new List<AccuracyResult>();
        foreach (var name in methodNames)
        {
            var errors = new List<double>();
            var times = new List<double>();
            var seedValues = new List<int>();
            for (int s = firstSeed; s < firstSeed + seeds; s++)
            {
                var ml = new MLContext(seed: s);
                if (verbose)
                    ml.Log += (_, e) => { if (e.Source.Contains("AdaptiveLoss", StringComparison.Ordinal) && (e.Message.Contains("L2T-DLF", StringComparison.Ordinal) || e.Message.Contains("ALA", StringComparison.Ordinal)) && !e.Message.Contains("teacher update ", StringComparison.Ordinal)) Console.WriteLine($"    [{e.Source}] {e.Message}"); };
                var (train, test) = task.Load(ml);
                var estimator = methods[name](ml, s);
                var clock = Stopwatch.StartNew();
                var model = estimator.Fit(train);
                double fitSeconds = clock.Elapsed.TotalSeconds;
                try
                {
                    var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
                    double error = 100.0 * (1.0 - metrics.MicroAccuracy);
                    errors.Add(error);
                    times.Add(fitSeconds);
                    seedValues.Add(s);
                    Console.WriteLine($"  {name,-12} seed {s,3}: test error {error,6:F2} %  fit {fitSeconds,7:F1} s  (log-loss {metrics.LogLoss:F4})");
                }
                finally
                {
                    DisposeModel(model);
                }
            }
            results.Add(new AccuracyResult(name, task.Name, errors.Count, Stats.Mean(errors), Stats.SampleStd(errors), Stats.Mean(times),
                [.. errors], [.. times], [.. seedValues], epochs));
        }

        Directory.CreateDirectory(outDir);
        string stem = Path.Combine(outDir, $"accuracy-{task.Name}");
        if (!replace) results = MergeWithEarlier(stem + ".json", results, epochs);
        Report.WriteJson(stem + ".json", results);
        string table = Table(results);
        File.WriteAllText(stem + ".md", Markdown(task, results, env, epochs, batchSize, learningRate, shift, schedule, table));
        if (plot) Plots.AccuracyBars(stem + ".png", task.Name, results);
        Console.WriteLine();
        Console.Write(table);
        Console.WriteLine($"Wrote {stem}.json, {stem}.md{(plot ? $", {stem}.png" : "")}");
        return 0;
    }

    /// <summary>Keeps the methods of an earlier result file (same epochs) that this run did not repeat, so one
    /// method can be re-measured without re-running the others; this run's methods replace their old rows.</summary>
    private static List<AccuracyResult> MergeWithEarlier(string jsonPath, List<AccuracyResult> results, int epochs)
    {
        if (!File.Exists(jsonPath)) return results;
        var earlier = System.Text.Json.JsonSerializer.Deserialize<List<AccuracyResult>>(File.ReadAllText(jsonPath), Report.Json) ?? [];
        var fresh = results.ToDictionary(r => r.Method, StringComparer.OrdinalIgnoreCase);
        var merged = earlier.Where(r => r.Epochs == epochs).Select(r => fresh.Remove(r.Method, out var now) ? now : r).ToList();
        merged.AddRange(results.Where(r => fresh.ContainsKey(r.Method)));
        return merged;
    }

    /// <summary>Hidden <c>plot-accuracy --in FILE.json</c>: redraws the PNG next to an existing result file.</summary>
    public static int Replot(CommandLine cl)
    {
        string input = cl.String("in", "benchmarks/results/accuracy-digits.json");
        cl.RejectUnknown();
        var results = System.Text.Json.JsonSerializer.Deserialize<List<AccuracyResult>>(File.ReadAllText(input), Report.Json)
            ?? throw new UsageException($"{input} holds no results.");
        string png = Path.ChangeExtension(input, ".png");
        Plots.AccuracyBars(png, results.FirstOrDefault()?.Task ?? "?", results);
        Console.WriteLine($"Wrote {png}");
        return 0;
    }

    /// <summary>Disposes a fitted model: every IDisposable transformer of a chain (AdaptiveLoss models hold native memory).</summary>
    public static void DisposeModel(ITransformer model)
    {
        if (model is IEnumerable<ITransformer> chain)
            foreach (var t in chain)
                if (t is IDisposable d) d.Dispose();
        if (model is IDisposable self) self.Dispose();
    }

    private static string Table(IReadOnlyList<AccuracyResult> results) => Report.Table(
        ["method", "seeds", "test error % (mean ± std)", "per-seed errors %", "mean fit s"],
        results.Select(r => (IReadOnlyList<string>)[
            r.Method, r.Seeds.ToString(CultureInfo.InvariantCulture),
            $"{Report.F(r.MeanError, 2)} ± {Report.F(r.StdError, 2)}",
            string.Join(", ", r.Errors.Select(e => Report.F(e, 2))),
            Report.F(r.MeanFitSeconds, 1)]),
        "lrrlr");

    private static string Markdown(BenchmarkTask task, IReadOnlyList<AccuracyResult> results, EnvironmentInfo env, int epochs, int batchSize, double lr, int shift, LearningRateSchedule schedule, string table)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Accuracy on `{task.Name}`");
        sb.AppendLine();
        sb.AppendLine("Test error (% of the 2,000 fixed test rows; mean ± sample standard deviation over seeds) and wall-clock fit time.");
        sb.AppendLine($"Each seed s uses `new MLContext(seed: s)`, which seeds the student's initialisation and shuffling; the train/test split is fixed.");
        sb.AppendLine($"Students: {task.Student()}, SGD lr {lr.ToString(CultureInfo.InvariantCulture)} momentum 0.9, batch {batchSize}, {epochs} epochs, CPU{(schedule != LearningRateSchedule.Constant ? $", {schedule.ToString().ToLowerInvariant()} learning-rate schedule" : "")}{(shift > 0 ? $", training images shifted randomly by up to {shift} pixels" : "")}.");
        sb.AppendLine("`parametric` is the fixed loss -sigmoid(y^T Phi log p + b) with Phi = I and b = ln(10) (centres the sigmoid at an untrained student's p_y = 1/10).");
        sb.AppendLine("`parametric-smoothed` is the same family with Phi = I + 0.05 off the diagonal and b = ln(10) x 1.45 (L2T-DLF's default Phi_0 and b_0, fixed).");
        sb.AppendLine("`l2t-dlf` is `L2tDlfLossOptions` with its defaults (teacher learned online from 10% of the training rows held out as dev data), then `RefitOnAllData` (a fresh student on all rows, teacher frozen); `l2t-dlf-no-refit` returns the student of the 90%.");
        sb.AppendLine("`ala` is `AlaLossOptions` with its defaults (pair-shared controller, K = 50, beta = 0.005, 2 children; 10% held out), then `RefitOnAllData` replaying Phi_t; `ala-single` uses the single-network controller; `ala-no-refit` returns the student of the 90%.");
        sb.AppendLine("`autoloss` is `ScheduleLossOptions`: each step on cross-entropy or on 1e-4 x ||W||_1, the controller learned over 6 episodes of 5 epochs on 10% held-out rows, then refit.");
        sb.AppendLine("`lightgbm` and `lbfgs` are ML.NET's `LightGbm()` and `LbfgsMaximumEntropy()` with default settings.");
        sb.AppendLine();
        sb.Append(table);
        sb.AppendLine();
        sb.AppendLine(env.Markdown() + " Fit times are wall-clock on a machine that other jobs may share.");
        sb.AppendLine();
        sb.AppendLine("Reproduce: `dotnet run -c Release --project benchmarks/AutoLoss.ML.Benchmarks -- accuracy --task " + task.Name +
                      " --methods " + string.Join(",", results.Select(r => r.Method)) + $" --seeds {results.Max(r => r.Seeds)} --epochs {epochs}" + (shift > 0 ? $" --augment-shift {shift}" : "") + (schedule != LearningRateSchedule.Constant ? $" --schedule {schedule.ToString().ToLowerInvariant()}" : "") +
                      (lr != 0.1 ? $" --learning-rate {lr.ToString(CultureInfo.InvariantCulture)}" : "") +
                      (BenchmarkOptions.TorchThreads > 0 ? $" --threads {BenchmarkOptions.TorchThreads}" : "") + " --out benchmarks/results`");
        return sb.ToString();
    }
}
