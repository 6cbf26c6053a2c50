using System.Globalization;
using System.Text;
using AutoLoss;
using AutoLoss.Core.Training;
using AutoLoss.ML.Datasets;
using AutoLoss.ML.Trainers;
using Microsoft.ML;

namespace AutoLoss.ML.Benchmarks;

/// <summary>One pretraining run of the ALA policy: its task, final validation error and the policy's updates so far.</summary>
internal sealed record AlaPretrainRun(int Run, string Task, int Classes, double ValidationError, int PolicyUpdates, double MeanReward);

/// <summary>
/// <c>ala-pretrain</c>: learns one pair-shared ALA policy over many runs of a family of generated classification tasks
/// (the paper's policy transfer, across tasks): run r trains a fresh student with ALA starting from the policy of run
/// r - 1 (theta keeps learning), on a task the evaluation never uses: 2,000 rows of a random tanh teacher network
/// (even r) or overlapping Gaussian clusters (odd r), with 3 to 10 classes and seeds 10,000 + r. The final policy is
/// written to DIR/ala-pretrained-policy.bin, which the accuracy benchmark's <c>ala-pretrained</c> method applies frozen.
/// </summary>
internal static class AlaPretrainBenchmark
{
    /// <summary>The options a pretrained policy runs with, in pretraining and in use: more decisions than the default.</summary>
    public static AlaLossOptions Options(AlaPolicyModel? policy, bool learn) => new()
    {
        StepsPerAction = 10,
        Beta = 0.01,
        PretrainedPolicy = policy,
        ContinueLearning = learn,
    };

    /// <summary>Where the policy is written.</summary>
    public static string PolicyPath(string dir) => Path.Combine(dir, "ala-pretrained-policy.bin");

    public static int Run(CommandLine cl)
    {
        int runs = cl.Int("runs", 24, min: 1), epochs = cl.Int("epochs", 10, min: 1);
        string outDir = cl.String("out", "benchmarks/results");
        cl.RejectUnknown();
        Directory.CreateDirectory(outDir);
        var log = new List<AlaPretrainRun>();
        AlaPolicyModel? policy = null;
        try
        {
            for (int r = 1; r <= runs; r++)
            {
                int classes = 3 + (r * 5) % 8, seed = 10_000 + r;
                var ml = new MLContext(seed);
                bool teacher = r % 2 == 0;
                var data = teacher
                    ? SyntheticData.TeacherNetwork(ml, 2_000, 10, classes, seed, hiddenUnits: 16, gain: 1.5f)
                    : SyntheticData.GaussianClusters(ml, 2_000, 10, classes, seed, separation: 1.5f);
                var options = Options(policy, learn: true);
                AlaPolicyModel? learned = null;
                var rewards = new List<double>();
                options.PolicyTrained += p => learned = p.Clone();
                options.ActionCompleted += a => rewards.Add(a.MeanReward);
                double validationError = double.NaN;
                var trainer = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.AdaptiveLoss(new AdaptiveLossMulticlassTrainer.Options
                {
                    NumberOfEpochs = epochs, BatchSize = 50, LearningRate = 0.1, Student = new MlpSpec { HiddenSizes = [64, 64] }, Loss = options,
                    ValidationFraction = 0.2, Seed = seed, Device = ComputeDevice.Cpu,
                    Progress = e => validationError = 1 - (e.ValidationMetric(MetricNames.Accuracy) ?? double.NaN),
                }));
                using (var model = trainer.Fit(data) as IDisposable) { }
                policy?.Dispose();
                policy = learned ?? throw new InvalidOperationException($"Run {r} handed back no policy.");
                string task = teacher ? "teacher network" : "clusters";
                log.Add(new AlaPretrainRun(r, task, classes, validationError, policy.Updates, rewards.Count > 0 ? rewards.Average() : 0));
                Console.WriteLine($"run {r}: {task}, {classes} classes, validation error {100 * validationError:F2}%, policy updates {policy.Updates}");
            }
            policy!.Save(PolicyPath(outDir));
        }
        finally
        {
            policy?.Dispose();
        }
        Report.WriteJson(Path.Combine(outDir, "ala-pretrain.json"), new { runs, epochs, log });
        var md = new StringBuilder();
        md.AppendLine("# ALA: one policy pretrained over a family of generated tasks");
        md.AppendLine();
        md.AppendLine($"{runs} runs, each a fresh MLP 10-64-64-C student trained {epochs} epochs (SGD 0.1, batch 50) with ALA (K = 10, beta = 0.01, 2 children, " +
                      "20% validation) starting from the previous run's policy, which keeps learning. Tasks: 2,000 rows, 10 features, 3-10 classes; even runs a random " +
                      "tanh teacher network, odd runs overlapping Gaussian clusters (separation 1.5); seeds 10,000 + run, none of them an evaluation task. " +
                      "The final policy is `ala-pretrained-policy.bin`, applied frozen by the accuracy benchmark's `ala-pretrained` method.");
        md.AppendLine();
        md.Append(Report.Table(["run", "task", "classes", "validation error %", "policy updates", "mean reward"],
            log.Select(l => (IReadOnlyList<string>)[l.Run.ToString(CultureInfo.InvariantCulture), l.Task, l.Classes.ToString(CultureInfo.InvariantCulture),
                Report.F(100 * l.ValidationError, 2), l.PolicyUpdates.ToString(CultureInfo.InvariantCulture), Report.F(l.MeanReward, 2)]), "rrrrrr"));
        md.AppendLine();
        md.AppendLine(Report.Environment().Markdown());
        md.AppendLine();
        md.AppendLine($"Reproduce: `dotnet run -c Release --project benchmarks/AutoLoss.ML.Benchmarks -- ala-pretrain --runs {runs} --epochs {epochs} --out {outDir}`");
        File.WriteAllText(Path.Combine(outDir, "ala-pretrain.md"), md.ToString());
        Console.WriteLine(md);
        return 0;
    }
}
