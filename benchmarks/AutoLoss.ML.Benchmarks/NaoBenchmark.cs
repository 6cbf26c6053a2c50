using System.Diagnostics;
using System.Text;
using AutoLoss.Core.Search;
using AutoLoss.Core.Search.Nao;
using AutoLoss.Core.Training;
using Microsoft.ML;
using ScottPlot;

namespace AutoLoss.ML.Benchmarks;

/// <summary>
/// <c>nao</c>: NAO against random search over an architecture space on a benchmark task (<c>--task</c>, default the
/// digits), at the same number of evaluated architectures and under the same size limit (the default student's parameter
/// count). Trials train on the first 75% of the task's training rows and are scored on the rest (the test rows are
/// never seen). Reports the predictor's pairwise
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
        string taskName = cl.String("task", "digits");
        string outDir = cl.String("out", "benchmarks/results");
        cl.RejectUnknown();
        Directory.CreateDirectory(outDir);
        if (!Tasks.All.TryGetValue(taskName, out var benchmarkTask))
            throw new UsageException($"nao: unknown --task '{taskName}' ({string.Join(", ", Tasks.All.Keys)}).");
        string stem = "nao" + (spaceName == "mlp" ? "" : $"-{spaceName}") + (taskName == "digits" ? "" : $"-{taskName}");
        var trainView = benchmarkTask.Load(new MLContext(0)).Train;
        int trainRows = (int)trainView.GetRowCount()!, searchRows = trainRows * 3 / 4, classes = benchmarkTask.NumberOfClasses;
        using var train = TaskTensors.Rows(trainView, 0, searchRows);
        using var validation = TaskTensors.Rows(trainView, searchRows, trainRows - searchRows);
        int inputs = train.FeatureCount;

        // The MLP space against the trainers' default MLP(500,300); the CNN space (28x28 images) against LeNet-5.
        IArchitectureSpace space = spaceName switch
        {
            "mlp" => new MlpArchitectureSpace(),
            "cnn" when inputs == 784 => new ConvArchitectureSpace(1, 28, 28),
            "cnn" => throw new UsageException($"nao: --space cnn needs 28x28 images (784 features); task '{taskName}' has {inputs}."),
            _ => throw new UsageException($"nao: unknown --space '{spaceName}' (mlp, cnn)."),
        };
        StudentSpec defaultStudent = spaceName == "cnn" ? ConvNetSpec.LeNet5() : new MlpSpec { HiddenSizes = [500, 300] };
        long limit = ParameterCount(defaultStudent, inputs, classes);
        int rounds = 3, perRound = Math.Max(1, (trials - seedArchitectures) / rounds);
        var task = TrainingTask.Multiclass(classes);
        var settings = new TrainingSettings { NumberOfEpochs = proxyEpochs, BatchSize = 100, LearningRate = 0.1, Device = ComputeDevice.Cpu };
        var evaluator = new TrainingTrialEvaluator<int[]>(task,
            trial => new TrainingProblem { Student = space.Decode(trial.Candidate), Task = task, Train = train, Validation = validation }, _ => settings);
        var runner = new SearchRunnerOptions { Seed = seed, TrialsPerRound = 10, Budget = new SearchBudget { MaxTrials = seedArchitectures + rounds * perRound, MaxConcurrentTrials = 1 } };

        var clock = Stopwatch.StartNew();
        using var nao = new NaoStrategy(space, new NaoOptions { SeedArchitectures = seedArchitectures, Rounds = rounds, NewPerRound = perRound, MaxParameters = limit }, seed);
        var naoResult = new SearchRunner<int[]>(nao, evaluator, runner).RunAsync(Progress("nao")).GetAwaiter().GetResult();
        double naoSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var randomResult = new SearchRunner<int[]>(new RandomSearchStrategy<int[]>(new SizeLimitedSpace(space, limit, inputs, classes), seed), evaluator, runner)
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
            .Select(x => FullTraining(benchmarkTask, x.Name, x.Spec, seeds, epochs, ParameterCount(x.Spec, inputs, classes))).ToList();

        var report = new NaoReport(taskName, spaceName, searchRows, trainRows - searchRows, naoResult.Trials.Count, seedArchitectures, rounds, perRound,
            proxyEpochs, limit, pairwise, naoSeconds, randomSeconds, full, seeds, epochs, seed, outDir);
        report.Write(Path.Combine(outDir, stem), naoResult, randomResult);
        Console.WriteLine(File.ReadAllText(Path.Combine(outDir, $"{stem}.md")));
        return 0;
    }

    private static IProgress<FinishedTrial<int[]>> Progress(string name) => new SynchronousProgress<FinishedTrial<int[]>>(t =>
        Console.WriteLine($"{name} trial {t.Trial.Id,3}: {100 * t.Result.MetricValue,6:F2}%  {string.Join(",", t.Trial.Candidate)}"));

    /// <summary>Trains <paramref name="spec"/> on the task's training rows with cross-entropy for each seed and
    /// records its test error and the wall time of the fit.</summary>
    private static FullyTrained FullTraining(BenchmarkTask benchmarkTask, string name, StudentSpec spec, int seeds, int epochs, long parameters)
    {
        var errors = new List<double>();
        var clock = new Stopwatch();
        for (int s = 1; s <= seeds; s++)
        {
            clock.Start();
            var ml = new MLContext(seed: s);
            var (train, test) = benchmarkTask.Load(ml);
            var model = Methods.Student(ml, new MethodSettings(epochs, 100, 0.1, benchmarkTask.NumberOfClasses), LossOptions.CrossEntropy(), student: spec).Fit(train);
            clock.Stop();
            try { errors.Add(100 * (1 - ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy)); }
            finally { AccuracyBenchmark.DisposeModel(model); }
            Console.WriteLine($"  {NaoReport.Describe(spec)} seed {s}: {errors[^1]:F2}%");
        }
        return new FullyTrained(name, spec, parameters, errors, clock.Elapsed.TotalSeconds / seeds);
    }

    private static long ParameterCount(StudentSpec spec, int inputs, int classes)
    {
        using var module = spec.Build(inputs, classes);
        return module.parameters().Sum(p => p.numel());
    }
}
