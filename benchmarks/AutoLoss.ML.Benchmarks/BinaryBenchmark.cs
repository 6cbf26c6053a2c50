using System.Diagnostics;
using System.Globalization;
using System.Text;
using AutoLoss;
using AutoLoss.Core.Students;
using AutoLoss.Core.Teaching;
using AutoLoss.Core.Teaching.Ala;
using AutoLoss.ML.Datasets;
using AutoLoss.ML.Trainers;
using Microsoft.ML;

namespace AutoLoss.ML.Benchmarks;

/// <summary>One binary method's results over seeds (AUCPR and AUC in percent, test error in percent).</summary>
internal sealed record BinaryResult(string Method, string Task, int Seeds, double MeanAucpr, double StdAucpr, double MeanAuc, double MeanError,
    double MeanFitSeconds, double[] Aucpr, double[] FitSeconds);

/// <summary>A binary task: a fixed train/test split and the student that suits its inputs.</summary>
internal sealed record BinaryTask(string Name, string Description, MlpSpec Student, Func<MLContext, (IDataView Train, IDataView Test)> Load);

/// <summary>
/// <c>binary</c>: the imbalanced binary tasks (one digit against the rest; generated overlapping Gaussians with 5%
/// positives), scored by the area under the precision-recall curve on the fixed test split, for the AdaptiveLoss
/// binary trainer with cross-entropy and with ALA (which aligns to AUCPR by default on binary tasks), and for ML.NET's
/// LightGbm and LbfgsLogisticRegression. Seeds s = 1..N each use <c>new MLContext(seed: s)</c>.
/// </summary>
internal static class BinaryBenchmark
{
    public static readonly IReadOnlyDictionary<string, BinaryTask> Tasks = new Dictionary<string, BinaryTask>(StringComparer.OrdinalIgnoreCase)
    {
        ["digit-9-vs-rest"] = new("digit-9-vs-rest", "the embedded digits' fixed 8,000/2,000 split, positive = the digit 9 (about 10% of rows)",
            new MlpSpec { HiddenSizes = [500, 300] }, ml => BinaryTasks.DigitVersusRest(ml, 9)),
        ["imbalanced-gaussian"] = new("imbalanced-gaussian", "6,000 generated rows, 20 features, 5% positives, class means 2.5 apart (overlapping), fixed 80/20 split",
            new MlpSpec { HiddenSizes = [64] }, ml =>
            {
                var split = ml.Data.TrainTestSplit(BinaryTasks.ImbalancedGaussian(ml, 6000, 20, 0.05, seed: 11, separation: 2.5), testFraction: 0.2, seed: 11);
                return (split.TrainSet, split.TestSet);
            }),
    };

    private static Dictionary<string, Func<MLContext, BinaryTask, int, IEstimator<ITransformer>>> Methods() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["ce"] = (ml, task, epochs) => Student(ml, task, epochs, LossOptions.CrossEntropy()),
        // ALA's binary starting loss held fixed (Phi_0 = 0.25 I + 0.0125 off the diagonal, centring bias, cross-entropy-matched
        // scale): what the family gives without the controller.
        ["parametric-smoothed"] = (ml, task, epochs) => Student(ml, task, epochs, BinaryStartingLoss(), validationFraction: 0.1, refit: true),
        ["ala"] = (ml, task, epochs) => Student(ml, task, epochs, new AlaLossOptions(), validationFraction: 0.1, refit: true),
        ["lightgbm"] = (ml, _, _) => ml.BinaryClassification.Trainers.LightGbm(),
        ["lbfgs"] = (ml, _, _) => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(),
    };

    /// <summary>The defaults of <see cref="AlaLossOptions.InitialDiagonal"/> (0.25 on a binary task) and
    /// <see cref="AlaLossOptions.InitialOffDiagonal"/> (0.05 x the diagonal), with ALA's centring bias ln 2 x row sum
    /// and its binary <see cref="AlaLossOptions.LossScale"/>, as one fixed loss.</summary>
    private static ParametricLossOptions BinaryStartingLoss()
    {
        const double diagonal = 0.25, offDiagonal = 0.05 * diagonal;
        var phi0 = AutoLoss.Core.Losses.ParametricLoss.StartingPhi(2, null, offDiagonal, diagonal);
        return new ParametricLossOptions
        {
            Phi = new float[,] { { (float)diagonal, (float)offDiagonal }, { (float)offDiagonal, (float)diagonal } },
            Bias = (float)(Math.Log(2) * (diagonal + offDiagonal)),
            Scale = (float)AutoLoss.Core.Losses.ParametricLoss.CrossEntropyMatchedScale(phi0),
        };
    }

    private static IEstimator<ITransformer> Student(MLContext ml, BinaryTask task, int epochs, LossOptions loss, double validationFraction = 0, bool refit = false) =>
        ml.BinaryClassification.Trainers.AdaptiveLoss(new AdaptiveLossBinaryTrainer.Options
        {
            Student = task.Student,
            Loss = loss,
            NumberOfEpochs = epochs,
            BatchSize = 100,
            LearningRate = 0.1,
            ValidationFraction = validationFraction,
            RefitOnAllData = refit,
            Seed = null,
            Device = AutoLoss.ComputeDevice.Cpu,
        });

    public static int Run(CommandLine cl)
    {
        string[] taskNames = cl.List("tasks", string.Join(",", Tasks.Keys));
        string[] methodNames = cl.List("methods", "ce,parametric-smoothed,ala,lightgbm,lbfgs");
        int seeds = cl.Int("seeds", 3, min: 1);
        int epochs = cl.Int("epochs", 20, min: 1);
        string outDir = cl.String("out", "benchmarks/results");
        cl.RejectUnknown();
        var methods = Methods();
        foreach (var name in methodNames)
            if (!methods.ContainsKey(name)) throw new UsageException($"Unknown method '{name}'; known: {string.Join(", ", methods.Keys)}.");
        foreach (var name in taskNames)
            if (!Tasks.ContainsKey(name)) throw new UsageException($"Unknown task '{name}'; known: {string.Join(", ", Tasks.Keys)}.");

        var results = new List<BinaryResult>();
        foreach (var task in taskNames.Select(n => Tasks[n]))
            foreach (var name in methodNames)
            {
                var aucpr = new List<double>();
                var auc = new List<double>();
                var errors = new List<double>();
                var times = new List<double>();
                for (int s = 1; s <= seeds; s++)
                {
                    var ml = new MLContext(seed: s);
                    var (train, test) = task.Load(ml);
                    var clock = Stopwatch.StartNew();
                    var model = methods[name](ml, task, epochs).Fit(train);
                    times.Add(clock.Elapsed.TotalSeconds);
                    try
                    {
                        var m = ml.BinaryClassification.Evaluate(model.Transform(test));
                        aucpr.Add(100 * m.AreaUnderPrecisionRecallCurve);
                        auc.Add(100 * m.AreaUnderRocCurve);
                        errors.Add(100 * (1 - m.Accuracy));
                        Console.WriteLine($"  {task.Name,-20} {name,-9} seed {s}: AUCPR {aucpr[^1]:F2} %, AUC {auc[^1]:F2} %, error {errors[^1]:F2} %, fit {times[^1]:F1} s");
                    }
                    finally
                    {
                        AccuracyBenchmark.DisposeModel(model);
                    }
                }
                results.Add(new BinaryResult(name, task.Name, seeds, Stats.Mean(aucpr), Stats.SampleStd(aucpr), Stats.Mean(auc), Stats.Mean(errors),
                    Stats.Mean(times), [.. aucpr], [.. times]));
            }

        Directory.CreateDirectory(outDir);
        string stem = Path.Combine(outDir, "binary");
        Report.WriteJson(stem + ".json", results);
        string table = Report.Table(["task", "method", "seeds", "test AUCPR % (mean ± std)", "per-seed AUCPR %", "test AUC %", "test error %", "mean fit s"],
            results.Select(r => (IReadOnlyList<string>)[r.Task, r.Method, r.Seeds.ToString(CultureInfo.InvariantCulture),
                $"{Report.F(r.MeanAucpr, 2)} ± {Report.F(r.StdAucpr, 2)}", string.Join(", ", r.Aucpr.Select(v => Report.F(v, 2))),
                Report.F(r.MeanAuc, 2), Report.F(r.MeanError, 2), Report.F(r.MeanFitSeconds, 1)]), "llrrlrrr");
        var sb = new StringBuilder();
        sb.AppendLine("# Imbalanced binary tasks: AUCPR");
        sb.AppendLine();
        foreach (var task in taskNames.Select(n => Tasks[n]))
            sb.AppendLine($"- `{task.Name}`: {task.Description}; AdaptiveLoss student MLP {string.Join("-", task.Student.HiddenSizes)}.");
        sb.AppendLine();
        sb.AppendLine($"AdaptiveLoss students: SGD lr 0.1 momentum 0.9, batch 100, {epochs} epochs, CPU. `ce`: cross-entropy on all training rows. " +
                      "`parametric-smoothed`: ALA's binary starting loss held fixed (Phi = 0.25 I + 0.0125 off the diagonal, centring bias ln 2 x 0.2625, loss scale 16 matching cross-entropy's gradient at p = 1/2), with the same 10% hold-out and refit as `ala`. " +
                      "`ala`: `AlaLossOptions` defaults (aligned to AUCPR, the binary default), 10% of the training rows held out for the controller, then `RefitOnAllData`. " +
                      "`lightgbm` and `lbfgs`: ML.NET's `LightGbm()` and `LbfgsLogisticRegression()` with default settings. Metrics from `BinaryClassification.Evaluate` on the fixed test split.");
        sb.AppendLine();
        sb.Append(table);
        sb.AppendLine();
        sb.AppendLine(Report.Environment().Markdown());
        sb.AppendLine();
        sb.AppendLine($"Reproduce: `dotnet run -c Release --project benchmarks/AutoLoss.ML.Benchmarks -- binary --tasks {string.Join(",", taskNames)} --methods {string.Join(",", methodNames)} --seeds {seeds} --epochs {epochs}" +
                      (BenchmarkOptions.TorchThreads > 0 ? $" --threads {BenchmarkOptions.TorchThreads}" : "") + " --out benchmarks/results`");
        File.WriteAllText(stem + ".md", sb.ToString());
        Console.Write(table);
        Console.WriteLine($"Wrote {stem}.json, {stem}.md");
        return 0;
    }
}
