using System.Diagnostics;
using System.Text;
using AutoLoss.Core.Search;
using AutoLoss.Core.Search.Nao;
using AutoLoss.Core.Training;
using Microsoft.ML;
using ScottPlot;

namespace AutoLoss.ML.Benchmarks;

/// <summary>
/// <c>nao</c>: NAO against random search over the MLP space on the digits, at the same number of evaluated
/// architectures and under the same size limit (the default student's parameter count). Trials train on 6,000 of the
/// training rows and are scored on the other 2,000 (the test rows are never seen). Reports the predictor's pairwise
/// accuracy on architectures its controller was not trained on, the best-so-far curves, and the best architectures of
/// both searches and the default student fully trained over seeds on the fixed split.
/// </summary>
internal static class NaoBenchmark
{
    public static int Run(CommandLine cl)
    {
        int trials = cl.Int("trials", 100, min: 10);
        int seedArchitectures = cl.Int("seed-architectures", 40, min: 2);
        int proxyEpochs = cl.Int("proxy-epochs", 5, min: 1);
        int seeds = cl.Int("seeds", 5, min: 1);
        int epochs = cl.Int("epochs", 20, min: 1);
        int seed = cl.Int("seed", 1);
        string spaceName = cl.String("space", "mlp");
        string outDir = cl.String("out", "benchmarks/results");
        cl.RejectUnknown();
        Directory.CreateDirectory(outDir);
        string stem = spaceName == "mlp" ? "nao" : $"nao-{spaceName}";

        // The MLP space against the default MLP(500,300); the CNN space (the digits as 1x28x28 images) against LeNet-5.
        IArchitectureSpace space = spaceName switch
        {
            "mlp" => new MlpArchitectureSpace(),
            "cnn" => new ConvArchitectureSpace(1, 28, 28),
            _ => throw new UsageException($"nao: unknown --space '{spaceName}' (mlp, cnn)."),
        };
        StudentSpec defaultStudent = spaceName == "cnn" ? ConvNetSpec.LeNet5() : new MlpSpec { HiddenSizes = [500, 300] };
        long limit = ParameterCount(defaultStudent);
        int rounds = 3, perRound = Math.Max(1, (trials - seedArchitectures) / rounds);
        var digits = Digits.LoadArrays();
        using var train = DigitsTensors.Rows(digits, digits.TrainIndices[..6000]);
        using var validation = DigitsTensors.Rows(digits, digits.TrainIndices[6000..]);
        var task = TrainingTask.Multiclass(Digits.ClassCount);
        var settings = new TrainingSettings { NumberOfEpochs = proxyEpochs, BatchSize = 100, LearningRate = 0.1, Device = ComputeDevice.Cpu };
        var evaluator = new TrainingTrialEvaluator<int[]>(task,
            trial => new TrainingProblem { Student = space.Decode(trial.Candidate), Task = task, Train = train, Validation = validation }, _ => settings);
        var runner = new SearchRunnerOptions { Seed = seed, TrialsPerRound = 10, Budget = new SearchBudget { MaxTrials = seedArchitectures + rounds * perRound, MaxConcurrentTrials = 1 } };

        var clock = Stopwatch.StartNew();
        using var nao = new NaoStrategy(space, new NaoOptions { SeedArchitectures = seedArchitectures, Rounds = rounds, NewPerRound = perRound, MaxParameters = limit }, seed);
        var naoResult = new SearchRunner<int[]>(nao, evaluator, runner).RunAsync(Progress("nao")).GetAwaiter().GetResult();
        double naoSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var randomResult = new SearchRunner<int[]>(new RandomSearchStrategy<int[]>(new SizeLimitedSpace(space, limit, 784, 10), seed), evaluator, runner)
            .RunAsync(Progress("random")).GetAwaiter().GetResult();
        double randomSeconds = clock.Elapsed.TotalSeconds;

        // Predictor quality: a controller trained on the first 70% of NAO's evaluated architectures ranks the rest.
        var pool = nao.Pool.ToList();
        int cut = (int)(pool.Count * 0.7);
        using var controller = nao.TrainController(pool.Take(cut).ToList(), higherIsBetter: true, seed);
        double pairwise = NaoStrategy.PairwiseAccuracy(controller, pool.Skip(cut).ToList(), higherIsBetter: true);

        var naoBest = space.Decode(naoResult.Best!.Trial.Candidate);
        var randomBest = space.Decode(randomResult.Best!.Trial.Candidate);
        var full = new (string Name, StudentSpec Spec)[] { (spaceName == "cnn" ? "default (LeNet-5)" : "default (MLP 500-300)", defaultStudent), ("NAO's best", naoBest), ("random search's best", randomBest) }
            .Select(x => (x.Name, x.Spec, Errors: FullTraining(x.Spec, seeds, epochs), Parameters: ParameterCount(x.Spec))).ToList();

        Plot(Path.Combine(outDir, $"{stem}.png"), naoResult, randomResult);
        var row = new
        {
            trials = naoResult.Trials.Count, seedArchitectures, rounds, perRound, proxyEpochs, limit, pairwise, naoSeconds, randomSeconds,
            full = full.Select(f => new { f.Name, spec = Describe(f.Spec), f.Parameters, meanError = Stats.Mean(f.Errors), std = Stats.SampleStd(f.Errors), errors = f.Errors }),
            naoBestValidation = naoResult.Best.Result.MetricValue, randomBestValidation = randomResult.Best.Result.MetricValue,
        };
        Report.WriteJson(Path.Combine(outDir, $"{stem}.json"), row);
        File.WriteAllText(Path.Combine(outDir, $"{stem}.md"), Markdown(row.trials, seedArchitectures, rounds, perRound, proxyEpochs, limit, pairwise, naoSeconds, randomSeconds,
            naoResult, randomResult, full, seeds, epochs, seed, outDir, spaceName));
        Console.WriteLine(File.ReadAllText(Path.Combine(outDir, $"{stem}.md")));
        return 0;
    }

    private static IProgress<FinishedTrial<int[]>> Progress(string name) => new SynchronousProgress<FinishedTrial<int[]>>(t =>
        Console.WriteLine($"{name} trial {t.Trial.Id,3}: {100 * t.Result.MetricValue,6:F2}%  {string.Join(",", t.Trial.Candidate)}"));

    private static List<double> FullTraining(StudentSpec spec, int seeds, int epochs)
    {
        var errors = new List<double>();
        for (int s = 1; s <= seeds; s++)
        {
            var ml = new MLContext(seed: s);
            var (train, test) = Digits.LoadSplit(ml);
            var model = Methods.Student(ml, new MethodSettings(epochs, 100, 0.1, Digits.ClassCount), LossOptions.CrossEntropy(), student: spec).Fit(train);
            try { errors.Add(100 * (1 - ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy)); }
            finally { AccuracyBenchmark.DisposeModel(model); }
            Console.WriteLine($"  {Describe(spec)} seed {s}: {errors[^1]:F2}%");
        }
        return errors;
    }

    private static long ParameterCount(StudentSpec spec)
    {
        using var module = spec.Build(784, 10);
        return module.parameters().Sum(p => p.numel());
    }

    /// <summary>The spec's text, with the block separators a Markdown table would read as cell borders replaced.</summary>
    private static string Describe(StudentSpec spec) => spec.ToString().Replace(" | ", " / ", StringComparison.Ordinal);

    private static double[] BestSoFar(SearchResult<int[]> result)
    {
        double best = double.NegativeInfinity;
        return result.Trials.Select(t => best = Math.Max(best, double.IsFinite(t.Result.MetricValue) ? t.Result.MetricValue : best)).Select(v => 100 * (1 - v)).ToArray();
    }

    private static void Plot(string path, SearchResult<int[]> nao, SearchResult<int[]> random)
    {
        var plot = new Plot();
        var a = plot.Add.Scatter(Enumerable.Range(1, nao.Trials.Count).Select(i => (double)i).ToArray(), BestSoFar(nao));
        a.LegendText = "NAO";
        var b = plot.Add.Scatter(Enumerable.Range(1, random.Trials.Count).Select(i => (double)i).ToArray(), BestSoFar(random));
        b.LegendText = "random search";
        plot.XLabel("evaluated architectures");
        plot.YLabel("best validation error so far (%)");
        plot.Title("NAO vs random search, digits");
        plot.ShowLegend();
        plot.SavePng(path, 800, 500);
    }

    private static string Markdown(int trials, int seedArchitectures, int rounds, int perRound, int proxyEpochs, long limit, double pairwise, double naoSeconds, double randomSeconds,
        SearchResult<int[]> nao, SearchResult<int[]> random, List<(string Name, StudentSpec Spec, List<double> Errors, long Parameters)> full, int seeds, int epochs, int seed, string outDir,
        string spaceName)
    {
        var md = new StringBuilder();
        md.AppendLine($"# NAO on the {spaceName.ToUpperInvariant()} space (digits)");
        md.AppendLine();
        md.AppendLine($"Each search evaluated {trials} architectures ({seedArchitectures} random seeds, then {rounds} rounds of {perRound}; random search the same number), " +
                      $"each trained {proxyEpochs} epochs on 6,000 training rows and scored on 2,000 other training rows, under a limit of {limit:N0} parameters (the default student's). " +
                      (spaceName == "cnn" ? "Space: 1-3 convolution blocks of 8-64 channels (3x3 or 5x5, same padding), no/max/average pooling, batch norm, residual; head none/64/128; ReLU/GELU."
                                          : "Space: 0-4 hidden layers of 16-512 units, ReLU/Tanh/GELU/LeakyReLU, dropout 0-0.3."));
        md.AppendLine();
        md.AppendLine($"Predictor pairwise accuracy on NAO's last 30% of evaluated architectures, controller trained on the first 70%: **{100 * pairwise:F1}%** (target >= 78%).");
        md.AppendLine();
        md.AppendLine($"Best validation accuracy: NAO {100 * nao.Best!.Result.MetricValue:F2}% ({naoSeconds:F0} s), random search {100 * random.Best!.Result.MetricValue:F2}% ({randomSeconds:F0} s).");
        md.AppendLine();
        md.AppendLine($"Fully trained ({epochs} epochs, SGD lr 0.1, cross-entropy), test error on the fixed 2,000 test rows, seeds 1-{seeds}:");
        md.AppendLine();
        md.Append(Report.Table(["student", "architecture", "parameters", "test error % (mean ± std)", "per seed"],
            full.Select(f => (IReadOnlyList<string>)[f.Name, Describe(f.Spec), f.Parameters.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                $"{Stats.Mean(f.Errors):F2} ± {Stats.SampleStd(f.Errors):F2}", string.Join(", ", f.Errors.Select(e => e.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))]), "llrrl"));
        md.AppendLine();
        md.AppendLine(Report.Environment().Markdown());
        md.AppendLine();
        md.AppendLine($"Reproduce: `dotnet run -c Release --project benchmarks/AutoLoss.ML.Benchmarks -- nao --space {spaceName} --trials {trials} --seed-architectures {seedArchitectures} --proxy-epochs {proxyEpochs} --seeds {seeds} --epochs {epochs} --seed {seed} --out {outDir}`");
        return md.ToString();
    }
}
