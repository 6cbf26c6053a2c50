using System.Globalization;
using System.Text;
using AutoLoss;
using AutoLoss.Core.Data;
using AutoLoss.Core.Metrics.Retrieval;
using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.ML.Benchmarks;

/// <summary>One method's retrieval results over seeds on one split (percent).</summary>
internal sealed record MetricResult(string Split, string Method, double[][] RecallAtK, double[] MapAtR, double[] FewShot);

/// <summary>
/// <c>metric</c>: metric learning on the digits with classes split disjointly: an embedding student trained on some
/// digits (training rows only) is evaluated by retrieval among the test rows of the other digits, which it never saw:
/// Recall@1/2/4/8, MAP@R, and 5-shot nearest-neighbour accuracy (5 reference rows per unseen digit, drawn from its
/// training rows, classify its test rows). Raw pixels are the untrained baseline. Seeds s = 1..N fix the student's
/// initialisation, its batches and the reference rows.
/// </summary>
internal static class MetricBenchmark
{
    private static readonly int[] Ks = [1, 2, 4, 8];

    private static readonly Dictionary<string, (int[] Seen, int[] Unseen)> Splits = new()
    {
        ["digits-0-4"] = ([0, 1, 2, 3, 4], [5, 6, 7, 8, 9]),
        ["digits-even"] = ([0, 2, 4, 6, 8], [1, 3, 5, 7, 9]),
    };

    public static int Run(CommandLine cl)
    {
        int seeds = cl.Int("seeds", 5, min: 1), epochs = cl.Int("epochs", 20, min: 1), stepsPerAction = cl.Int("steps-per-action", 20, min: 1);
        var methods = cl.String("methods", string.Join(",", Methods)).Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (methods.FirstOrDefault(m => !Methods.Contains(m)) is { } unknown)
            throw new ArgumentException($"--methods: unknown method '{unknown}'; use any of {string.Join(", ", Methods)}.");
        var only = cl.String("splits", string.Join(",", Splits.Keys)).Split(',', StringSplitOptions.RemoveEmptyEntries);
        string outDir = cl.String("out", "benchmarks/results");
        cl.RejectUnknown();
        Directory.CreateDirectory(outDir);
        TorchRuntime.EnsureLoaded();
        var digits = Digits.LoadArrays();
        var results = new List<MetricResult>();
        foreach (var (name, (seen, unseen)) in Splits.Where(p => only.Contains(p.Key)))
        {
            int[] Rows(int[] indices, int[] classes) => indices.Where(i => classes.Contains(digits.Labels[i])).ToArray();
            // Every fifth training row of the seen digits is held out as validation data (ALA's state and reward); every
            // method trains on the same other rows.
            var seenRows = Rows(digits.TrainIndices, seen);
            using var train = DigitsTensors.Rows(digits, seenRows.Where((_, k) => k % 5 != 4).ToArray());
            using var validation = DigitsTensors.Rows(digits, seenRows.Where((_, k) => k % 5 == 4).ToArray());
            var evalRows = Rows(digits.TestIndices, unseen);
            var referencePool = Rows(digits.TrainIndices, unseen);
            foreach (var method in methods)
            {
                var recall = new List<double[]>();
                var map = new List<double>();
                var fewShot = new List<double>();
                for (int s = 1; s <= seeds; s++)
                {
                    using var scope = NewDisposeScope();
                    using var student = method == "pixels" ? null : Train(train, validation, method, epochs, stepsPerAction, s);
                    Tensor Embed(Tensor x)
                    {
                        if (student is null) return x;
                        using var noGrad = no_grad();
                        return student.call(x);
                    }
                    var evalX = Embed(tensor(digits.GatherFeatures(evalRows), [evalRows.Length, Digits.FeatureCount]));
                    var evalY = tensor(digits.GatherLabels(evalRows).Select(l => (long)l).ToArray());
                    recall.Add(RetrievalRanking.RecallAtK(evalX, evalY, Ks).Select(r => 100 * r).ToArray());
                    map.Add(100 * RetrievalRanking.MeanAveragePrecisionAtR(evalX, evalY));
                    var references = unseen.SelectMany(c => referencePool.Where(i => digits.Labels[i] == c).OrderBy(_ => new Random(s * 31 + c).Next()).Take(5)).ToArray();
                    var refX = Embed(tensor(digits.GatherFeatures(references), [references.Length, Digits.FeatureCount]));
                    var refY = tensor(digits.GatherLabels(references).Select(l => (long)l).ToArray());
                    fewShot.Add(100 * NearestReferenceAccuracy(evalX, evalY, refX, refY));
                    Console.WriteLine($"  {name}, {method}, seed {s}: R@1 {recall[^1][0]:F2}%, MAP@R {map[^1]:F2}%, 5-shot {fewShot[^1]:F2}%");
                    if (method == "pixels") break;   // nothing random
                }
                results.Add(new MetricResult(name, method, [.. recall], [.. map], [.. fewShot]));
            }
        }
        Report.WriteJson(Path.Combine(outDir, "metric.json"), new { seeds, epochs, stepsPerAction, results });
        string md = Markdown(results, seeds, epochs, stepsPerAction, string.Join(",", methods), outDir);
        File.WriteAllText(Path.Combine(outDir, "metric.md"), md);
        Console.WriteLine(md);
        return 0;
    }

    private static readonly string[] Methods = ["pixels", "triplet", "margin", "margin-learned-beta", "margin+ala-mixture", "focal", "focal+ala"];

    /// <summary>The loss of a method: the fixed losses, each ALA family's fixed Phi_0 (margin is the distance mixture's),
    /// and ALA moving Phi with <paramref name="stepsPerAction"/> student steps per decision.</summary>
    private static LossOptions Loss(string method, int stepsPerAction) => method switch
    {
        "triplet" => LossOptions.PerExample(() => new TripletLoss(0.2)),
        "margin" => LossOptions.PerExample(() => new MarginLoss()),
        "margin-learned-beta" => new MarginLossOptions(),
        "margin+ala-mixture" => new AlaEmbeddingLossOptions { Family = new AlaDistanceMixture(), StepsPerAction = stepsPerAction, ValidationChecksPerAction = 4 },
        "focal" => LossOptions.PerExample(() => new AlaFocalWeighting().FixedLoss()),
        "focal+ala" => new AlaEmbeddingLossOptions { Family = new AlaFocalWeighting(), StepsPerAction = stepsPerAction, ValidationChecksPerAction = 4 },
        _ => throw new ArgumentException($"Unknown method {method}."),
    };

    /// <summary>Trains an MLP 784-256-64 embedding with the loss on P x K = 5 x 20 batches (in eval mode on return).</summary>
    private static nn.Module<Tensor, Tensor> Train(InMemoryDataset train, InMemoryDataset validation, string method, int epochs, int stepsPerAction, int seed)
    {
        var loss = Loss(method, stepsPerAction);
        var outcome = StudentTrainer.Train(new TrainingProblem
        {
            Student = new MlpSpec { HiddenSizes = [256] }, Task = new EmbeddingTask(64), Train = new ClassBalancedBatches(train, 5, 20),
            Validation = loss.RequiresValidationData ? validation : null, Loss = loss,
        }, new TrainingSettings { NumberOfEpochs = epochs, BatchSize = 100, Optimizer = OptimizerKind.Adam, LearningRate = 0.001, Device = ComputeDevice.Cpu, Seed = seed,
            Log = method.Contains("ala") ? Console.WriteLine : null });
        outcome.Student.eval();
        outcome.LearnedLoss?.Dispose();
        return outcome.Student;
    }

    private static double NearestReferenceAccuracy(Tensor x, Tensor y, Tensor refX, Tensor refY) =>
        RetrievalRanking.NearestReferenceLabels(x, refX, refY).eq(y).to_type(ScalarType.Float64).mean().item<double>();

    private static string Markdown(List<MetricResult> results, int seeds, int epochs, int stepsPerAction, string methods, string outDir)
    {
        string F(IEnumerable<double> v) { var a = v.ToArray(); return a.Length == 1 ? $"{a[0]:F2}" : $"{Stats.Mean(a):F2} ± {Stats.SampleStd(a):F2}"; }
        var md = new StringBuilder();
        md.AppendLine("# Metric learning on the digits, unseen classes");
        md.AppendLine();
        md.AppendLine($"An MLP 784-256-64 embedding (`EmbeddingTask(64)`) trained {epochs} epochs (Adam 0.001, P x K = 5 x 20 batches, `ClassBalancedBatches`) on the " +
                      "training rows of the seen digits (4 of every 5; the fifth is validation data, read only by ALA); evaluated on the test rows of the unseen digits, ranked against each other (`RetrievalRanking`). " +
                      $"5-shot: 5 training rows per unseen digit as references, each test row takes its nearest reference's digit. Seeds 1-{seeds}; `pixels` is the raw 784 pixels (no training, one run). Percent.");
        md.AppendLine();
        md.Append(Report.Table(["split (seen -> unseen)", "method", "R@1", "R@2", "R@4", "R@8", "MAP@R", "5-shot accuracy"],
            results.Select(r => (IReadOnlyList<string>)[r.Split, r.Method, .. Enumerable.Range(0, Ks.Length).Select(k => F(r.RecallAtK.Select(x => x[k]))), F(r.MapAtR), F(r.FewShot)]), "llrrrrrr"));
        md.AppendLine();
        md.AppendLine("Splits: `digits-0-4` trains on 0-4 and retrieves 5-9; `digits-even` trains on 0, 2, 4, 6, 8 and retrieves the odd digits.");
        md.AppendLine();
        md.AppendLine("Methods: `triplet` (semi-hard, margin 0.2); `margin` (Wu et al. 2017, alpha 0.2, beta 1.2), which is also the distance mixture's fixed Phi_0; " +
                      "`margin-learned-beta`: the same with beta learned beside the student (`MarginLossOptions`, SGD 0.01 from 1.2); " +
                      $"`margin+ala-mixture`: ALA's distance mixture (8 bins per pair kind) moved by the controller every {stepsPerAction} steps, rewarded by validation Recall@1 " +
                      "(`AlaEmbeddingLossOptions` defaults otherwise: 2 children, beta 0.05); `focal`: the focal-weighting loss at its fixed Phi_0 (alpha 1, Phi 2 and 50); " +
                      "`focal+ala`: focal weighting moved by the controller.");
        md.AppendLine();
        md.AppendLine(Report.Environment().Markdown());
        md.AppendLine();
        md.AppendLine($"Reproduce: `dotnet run -c Release --project benchmarks/AutoLoss.ML.Benchmarks -- metric --seeds {seeds} --epochs {epochs} --steps-per-action {stepsPerAction} --methods {methods} --out {outDir}`");
        return md.ToString();
    }
}
