using System.Diagnostics;
using AutoLoss;
using AutoLoss.Core.Search;
using AutoLoss.Core.Training;

namespace AutoLoss.ML.Benchmarks;

/// <summary>
/// The search layer's effect: one random search over MLP students on the digits (depth, widths, learning rate; short
/// training runs scored on held-out rows), run with trials one at a time and two at a time, each with and without the
/// median stopping rule. Reports wall time, trials stopped early, epochs trained and the best architecture, and checks
/// that parallel trials score exactly as sequential ones.
/// </summary>
internal static class SearchBenchmark
{
    /// <summary>An MLP student and its learning rate.</summary>
    public sealed record MlpCandidate(int[] HiddenSizes, double LearningRate)
    {
        public override string ToString() =>
            $"MLP({(HiddenSizes.Length == 0 ? "linear" : string.Join("-", HiddenSizes))}), lr {LearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>0 to 2 hidden layers of 16 to 256 units, learning rates from 0.003 to 0.3.</summary>
    private sealed class MlpSpace : ISearchSpace<MlpCandidate>
    {
        private static readonly int[] Widths = [16, 32, 64, 128, 256];
        private static readonly double[] Rates = [0.003, 0.01, 0.03, 0.1, 0.3];

        public MlpCandidate Sample(Random random)
        {
            int depth = random.Next(3);
            var hidden = Enumerable.Range(0, depth).Select(_ => Widths[random.Next(Widths.Length)]).ToArray();
            return new MlpCandidate(hidden, Rates[random.Next(Rates.Length)]);
        }

        public string? Key(MlpCandidate candidate) => candidate.ToString();
    }

    private sealed record Row(string Setting, int Concurrent, bool Stopping, double Seconds, int Completed, int Stopped,
        int Epochs, double BestAccuracy, string Best, bool SameScoresAsSequential);

    public static int Run(CommandLine cl)
    {
        int trials = cl.Int("trials", 24, min: 1);
        int epochs = cl.Int("epochs", 4, min: 1);
        int trainRows = cl.Int("train-rows", 4000, min: 100);
        int seed = cl.Int("seed", 1);
        string outDir = cl.String("out", "benchmarks/results");
        cl.RejectUnknown();
        Directory.CreateDirectory(outDir);

        var digits = Digits.LoadArrays();
        var trainIndices = digits.TrainIndices.Take(trainRows).ToArray();
        var validationIndices = digits.TrainIndices.Skip(trainRows).Take(1000).ToArray();
        using var train = DigitsTensors.Rows(digits, trainIndices);
        using var validation = DigitsTensors.Rows(digits, validationIndices);
        var task = TrainingTask.Multiclass(Digits.ClassCount);
        var evaluator = new TrainingTrialEvaluator<MlpCandidate>(task,
            trial => new TrainingProblem { Student = new MlpSpec { HiddenSizes = trial.Candidate.HiddenSizes }, Task = task, Train = train, Validation = validation },
            trial => new TrainingSettings { NumberOfEpochs = epochs, BatchSize = 100, LearningRate = trial.Candidate.LearningRate, Device = ComputeDevice.Cpu });

        Console.WriteLine($"search: {trials} random MLP trials of {epochs} epochs on {trainRows} digits, scored on {validationIndices.Length} held-out rows.");
        var rows = new List<Row>();
        var sequentialScores = new Dictionary<bool, Dictionary<int, (TrialStatus, double)>>();   // by stopping rule
        foreach (var (concurrent, stopping) in new[] { (1, false), (2, false), (1, true), (2, true) })
        {
            var options = new SearchRunnerOptions
            {
                Seed = seed,
                Budget = new SearchBudget { MaxTrials = trials, MaxConcurrentTrials = concurrent },
                Stopper = stopping ? new MedianTrialStopper(warmUpTrials: 4, minimumStep: 1) : NoTrialStopper.Instance,
            };
            var clock = Stopwatch.StartNew();
            var result = new SearchRunner<MlpCandidate>(new RandomSearchStrategy<MlpCandidate>(new MlpSpace(), seed), evaluator, options)
                .RunAsync().GetAwaiter().GetResult();
            clock.Stop();
            var scores = result.Trials.ToDictionary(t => t.Trial.Id, t => (t.Result.Status, t.Result.MetricValue));
            bool same = true;
            if (concurrent == 1) sequentialScores[stopping] = scores;
            else same = scores.Count == sequentialScores[stopping].Count && scores.All(kv => sequentialScores[stopping][kv.Key].Equals(kv.Value));
            int epochsTrained = result.Trials.Sum(t => t.Result.Status == TrialStatus.Completed
                ? (int)t.Result.Measurements["epochs"] : t.Result.IntermediateValues.Count);
            var best = result.Best;
            var row = new Row($"{concurrent} at a time, {(stopping ? "median stopping" : "no stopping")}", concurrent, stopping, clock.Elapsed.TotalSeconds,
                result.Count(TrialStatus.Completed), result.Count(TrialStatus.StoppedEarly), epochsTrained,
                best?.Result.MetricValue ?? double.NaN, best?.Trial.Candidate.ToString() ?? "none", same);
            rows.Add(row);
            Console.WriteLine($"  {row.Setting}: {row.Seconds:F1} s, {row.Completed} completed, {row.Stopped} stopped early, {row.Epochs} epochs, best {100 * row.BestAccuracy:F2}% {row.Best}");
        }

        var env = Report.Environment();
        Report.WriteJson(Path.Combine(outDir, "search.json"), new { Environment = env, Trials = trials, Epochs = epochs, TrainRows = trainRows, Rows = rows });
        var md = new System.Text.StringBuilder();
        md.AppendLine("# Search layer: parallel trials and median stopping");
        md.AppendLine();
        md.AppendLine($"One random search (`RandomSearchStrategy`, seed {seed}) over MLP students on the digits: 0-2 hidden layers of 16-256 units, learning rate 0.003-0.3, " +
                      $"SGD momentum 0.9, batch 100, {epochs} epochs on {trainRows} training rows, scored by validation accuracy on {validationIndices.Length} held-out training rows " +
                      $"(`TrainingTrialEvaluator`). {trials} trials per setting; median stopping (`MedianTrialStopper`, warm-up 4 trials) ends a trial whose best accuracy so far is " +
                      "below the median of finished trials at the same epoch. \"Same scores\" : every trial ends the same way (completed or stopped early) with the same accuracy as in the run one at a time.");
        md.AppendLine();
        md.Append(Report.Table(["setting", "wall s", "completed", "stopped early", "epochs trained", "best accuracy %", "best candidate", "same scores"],
            rows.Select(r => (IReadOnlyList<string>)[r.Setting, Report.F(r.Seconds, 1), r.Completed.ToString(), r.Stopped.ToString(), r.Epochs.ToString(),
                Report.F(100 * r.BestAccuracy, 2), r.Best, r.Concurrent == 1 ? "(reference)" : r.SameScoresAsSequential ? "yes" : "NO"]),
            "lrrrrrll"));
        md.AppendLine();
        md.AppendLine(env.Markdown());
        md.AppendLine();
        md.AppendLine($"Reproduce: `dotnet run -c Release --project benchmarks/AutoLoss.ML.Benchmarks -- search --trials {trials} --epochs {epochs} --train-rows {trainRows} --seed {seed} --threads 1 --out {outDir}`");
        File.WriteAllText(Path.Combine(outDir, "search.md"), md.ToString());
        Console.WriteLine($"Wrote {Path.Combine(outDir, "search.json")} and {Path.Combine(outDir, "search.md")}");
        return rows.All(r => r.SameScoresAsSequential) ? 0 : 1;
    }
}
