using System.Diagnostics;
using AutoLoss;
using AutoLoss.Core.Data;
using AutoLoss.Core.Students;
using AutoLoss.Core.Teaching;
using AutoLoss.Core.Training;
using AutoLoss.ML.Datasets;
using AutoLoss.ML.Trainers;
using Microsoft.ML;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss.ML.Benchmarks;

/// <summary>
/// Hidden <c>profile-train</c> verb: splits the gap between the trainer and the bare loop into its
/// parts by timing intermediate variants on the same data (one epoch each, interleaved repeats):
/// the bare loop; the bare loop fed by <see cref="InMemoryDataset"/> batches; the bare loop with the
/// cross-entropy teacher's loss; the core <see cref="StudentTrainer"/> alone; the ML.NET trainer's Fit.
/// </summary>
internal static class ProfileTraining
{
    public static int Run(CommandLine cl)
    {
        int epochs = cl.Int("epochs", 1, min: 1);
        int repeats = cl.Int("repeats", 3, min: 1);
        cl.RejectUnknown();
        Console.WriteLine($"torch threads {torch.get_num_threads()}, {epochs} epoch(s), {repeats} repeats");

        var ml = new MLContext(seed: 1);
        var (train, _) = Digits.LoadSplit(ml);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(train).Transform(train);
        var arrays = Digits.LoadArrays();
        float[] x = arrays.GatherFeatures(arrays.TrainIndices);
        int[] y = arrays.GatherLabels(arrays.TrainIndices);
        using var bare = new BareTorchLoop(x, y, Digits.FeatureCount, Digits.ClassCount);
        using var dataset = new InMemoryDataset(x, Array.ConvertAll(y, v => (long)v), null, Digits.FeatureCount, CPU);
        var spec = new MlpSpec { HiddenSizes = [500, 300] };

        var variants = new (string Name, Action Run)[]
        {
            ("bare loop", () => bare.Train(spec, epochs, 100, 0.1, 0.9, 1)),
            ("bare loop + InMemoryDataset batches", () => BareWithDataset(dataset, spec, epochs, teacher: false)),
            ("bare loop + InMemoryDataset + CE teacher", () => BareWithDataset(dataset, spec, epochs, teacher: true)),
            ("core StudentTrainer.Train", () => StudentTrainer.Train(
                new TrainingProblem { Student = spec, NumberOfClasses = 10, Train = dataset, Loss = LossOptions.CrossEntropy() },
                new TrainingSettings { NumberOfEpochs = epochs, BatchSize = 100, LearningRate = 0.1, Momentum = 0.9, Device = ComputeDevice.Cpu, Seed = 1 }).Student.Dispose()),
            ("ML.NET trainer Fit (InMemory)", () => ml.MulticlassClassification.Trainers.AdaptiveLoss(new AdaptiveLossMulticlassTrainer.Options
                {
                    NumberOfEpochs = epochs, Student = spec, Caching = DataCaching.InMemory, Device = ComputeDevice.Cpu, Seed = 1,
                }).Fit(keyed).Dispose()),
        };
        var times = variants.Select(_ => new List<double>()).ToArray();
        foreach (var v in variants) v.Run(); // warm-up
        for (int r = 0; r < repeats; r++)
            for (int i = 0; i < variants.Length; i++)
            {
                var clock = Stopwatch.StartNew();
                variants[i].Run();
                times[i].Add(clock.Elapsed.TotalSeconds);
            }
        double baseline = Stats.Median(times[0]);
        Console.Write(Report.Table(["variant", "median s", "vs bare", "all s"],
            variants.Select((v, i) => (IReadOnlyList<string>)[v.Name, Report.F(Stats.Median(times[i]), 2), Report.F(Stats.Median(times[i]) / baseline, 2) + "x",
                string.Join(" ", times[i].Select(t => Report.F(t, 2)))]), "lrrl"));
        return 0;
    }

    private static void BareWithDataset(InMemoryDataset data, MlpSpec spec, int epochs, bool teacher)
    {
        random.manual_seed(1);
        using var student = spec.Build(data.FeatureCount, 10);
        using var optimizer = optim.SGD(student.parameters(), 0.1, momentum: 0.9);
        using var ce = LossOptions.CrossEntropy().CreateTeacher(TrainingTask.Multiclass(10));
        student.train();
        for (int epoch = 0; epoch < epochs; epoch++)
            foreach (var batch in data.ReadEpoch(epoch, 100, 1))
            {
                using var scope = NewDisposeScope();
                var t = batch.ToTensors(CPU);
                var logits = student.forward(t.Features);
                var loss = teacher
                    ? ce.ComputeLoss(new StudentState { Student = student, Features = t.Features, Logits = logits, Labels = t.Labels })
                    : nn.functional.cross_entropy(logits, t.Labels);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                _ = loss.item<float>();
            }
    }
}
