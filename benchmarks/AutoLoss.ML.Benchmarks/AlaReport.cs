using System.Globalization;
using System.Text;
using AutoLoss;
using AutoLoss.Core.Students;
using AutoLoss.Core.Teaching;
using AutoLoss.Core.Teaching.Ala;
using AutoLoss.ML.Datasets;
using Microsoft.ML;
using ScottPlot;

namespace AutoLoss.ML.Benchmarks;

/// <summary>What <c>ala-report</c> writes as JSON.</summary>
internal sealed record AlaReportResult(
    int PolicySeed, double CrossEntropyTestError, double AlaTestError, double[] CrossEntropyValidationError, double[] AlaValidationError,
    double[] DecisionEpoch, double[] PhiDiagonalMean, double[] PhiOffDiagonalMean, double[] Reward, int PolicyUpdates, IReadOnlyList<TransferRow> Transfer);

/// <summary>
/// <c>ala-report</c>: (1) trains the cross-entropy student and the ALA student (the accuracy benchmark's <c>ce</c>
/// settings with 10% of the training split held out, and <c>ala</c>) with seed 1, recording validation error per epoch
/// and every controller decision's Phi_t; (2) saves the learned policy; (3) policy transfer: the saved policy, frozen,
/// teaches a narrower student on digits and a student on a generated 5-class task (a class count it never saw),
/// against cross-entropy on the same student, split and budget.
/// </summary>
internal static class AlaReport
{
    private static readonly MlpSpec Narrow = new() { HiddenSizes = [100] };

    /// <summary>Generated task for the cross-task transfer: 5 overlapping Gaussian clusters in 20 dimensions,
    /// 4,000 rows split 80/20 by a fixed seed.</summary>
    private static readonly BenchmarkTask Clusters = new("clusters-5", 5, ml =>
    {
        var data = SyntheticData.GaussianClusters(ml, 4000, 20, 5, seed: 2024, separation: 1.2f);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 2024);
        return (split.TrainSet, split.TestSet);
    }, () => new MlpSpec { HiddenSizes = [500, 300] });

    public static int Run(CommandLine cl)
    {
        int seeds = cl.Int("seeds", 3, min: 1);
        int epochs = cl.Int("epochs", 20, min: 1);
        string outDir = cl.String("out", "benchmarks/results");
        cl.RejectUnknown();
        var settings = new MethodSettings(epochs, 100, 0.1, Digits.ClassCount);
        Directory.CreateDirectory(outDir);
        const int policySeed = 1;
        var digits = Tasks.All["digits"];

        // (1) Curves and Phi_t.
        var ceValidation = new List<double>();
        double ceTest = ReportRuns.TestError(policySeed, digits, ml => Methods.Student(ml, settings, LossOptions.CrossEntropy(), validationFraction: 0.1,
            progress: e => ceValidation.Add(100 * (1 - e.ValidationAccuracy!.Value))));
        var ala = Methods.Ala();
        var decisions = new List<AlaActionReport>();
        ala.ActionCompleted += decisions.Add;
        AlaPolicyModel? learned = null;   // a copy: the fitted model owns (and disposes) its own
        ala.PolicyTrained += p => learned = p.Clone();
        var alaValidation = new List<double>();
        double alaTest = ReportRuns.TestError(policySeed, digits, ml => Methods.Student(ml, settings, ala, validationFraction: 0.1, refit: true,
            progress: e => alaValidation.Add(100 * (1 - e.ValidationAccuracy!.Value))));
        using var policy = learned ?? throw new InvalidOperationException("The ALA run did not hand back its policy.");
        string policyPath = Path.Combine(outDir, "ala-policy.bin");
        policy.Save(policyPath);
        Console.WriteLine($"ALA seed {policySeed}: test error {alaTest:F2} % (cross-entropy, 90% of rows: {ceTest:F2} %); policy ({policy.Updates} updates) saved to {policyPath}.");

        // (3) Policy transfer, frozen; the transferred runs hold out 10% for the policy's state and refit on all rows.
        AlaLossOptions Frozen() => new() { PretrainedPolicy = policy };
        var clustersSettings = settings with { NumberOfClasses = Clusters.NumberOfClasses };
        var transfer = new List<TransferRow>
        {
            ReportRuns.Transfer(seeds, digits, "MLP 784-100-10", "ce", ml => Methods.Student(ml, settings, LossOptions.CrossEntropy(), Narrow)),
            ReportRuns.Transfer(seeds, digits, "MLP 784-100-10", "ala policy from MLP 500-300 seed 1, frozen",
                ml => Methods.Student(ml, settings, Frozen(), Narrow, validationFraction: 0.1, refit: true)),
            ReportRuns.Transfer(seeds, Clusters, "clusters-5, MLP 20-100-5", "ce", ml => Methods.Student(ml, clustersSettings, LossOptions.CrossEntropy(), Narrow)),
            ReportRuns.Transfer(seeds, Clusters, "clusters-5, MLP 20-100-5", "ala policy from digits, frozen",
                ml => Methods.Student(ml, clustersSettings, Frozen(), Narrow, validationFraction: 0.1, refit: true)),
        };

        var result = new AlaReportResult(policySeed, ceTest, alaTest, [.. ceValidation], [.. alaValidation],
            [.. decisions.Select(d => d.Progress * epochs)], [.. decisions.Select(d => d.MeanDiagonal)], [.. decisions.Select(d => d.MeanOffDiagonal)],
            [.. decisions.Select(d => d.Reward)], policy.Updates, transfer);
        string stem = Path.Combine(outDir, "ala-report");
        Report.WriteJson(stem + ".json", result);
        ReportRuns.PlotCurvesAndPhi(stem + ".png", $"digits, MLP 500-300, seed {policySeed}: validation error per epoch", "validation error (%)",
            result.CrossEntropyValidationError, "ALA (before the refit)", result.AlaValidationError,
            result.DecisionEpoch, result.PhiDiagonalMean, result.PhiOffDiagonalMean, "Phi_t statistic (after each decision)", "the controller's Phi_t over the student's training");
        string table = ReportRuns.Table(transfer);
        File.WriteAllText(stem + ".md", Markdown(result, table, seeds, epochs));
        Console.Write(table);
        Console.WriteLine($"Wrote {stem}.json, {stem}.md, {stem}.png");
        return 0;
    }

    private static string Markdown(AlaReportResult r, string table, int seeds, int epochs)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# ALA on `digits`: validation-error curves, Phi_t, and policy transfer");
        sb.AppendLine();
        sb.AppendLine($"Seed {r.PolicySeed}, MLP 784-500-300-10, SGD lr 0.1 momentum 0.9, batch 100, {epochs} epochs; 10% of the 8,000 training rows held out as validation data for both curves. " +
                      "ALA uses its defaults (pair-shared controller, K = 50, beta = 0.005, 2 child models) and then refits on all rows replaying its Phi_t.");
        sb.AppendLine($"Final validation error: cross-entropy {r.CrossEntropyValidationError[^1].ToString("F2", inv)} %, ALA {r.AlaValidationError[^1].ToString("F2", inv)} %. " +
                      $"Test error: cross-entropy (on 90% of the rows) {r.CrossEntropyTestError.ToString("F2", inv)} %, ALA (refit) {r.AlaTestError.ToString("F2", inv)} %. " +
                      $"The controller took {r.Reward.Length} decisions and {r.PolicyUpdates} REINFORCE steps; Phi_t's mean diagonal went {r.PhiDiagonalMean[0].ToString("F3", inv)} -> {r.PhiDiagonalMean[^1].ToString("F3", inv)}, " +
                      $"its mean off-diagonal {r.PhiOffDiagonalMean[0].ToString("F4", inv)} -> {r.PhiOffDiagonalMean[^1].ToString("F4", inv)}; the final student's rewards: " +
                      $"{r.Reward.Count(x => x > 0)} x +1, {r.Reward.Count(x => x == 0)} x 0, {r.Reward.Count(x => x < 0)} x -1.");
        sb.AppendLine();
        sb.AppendLine("![validation error and Phi_t](ala-report.png)");
        sb.AppendLine();
        sb.AppendLine($"## Policy transfer: the seed-{r.PolicySeed} policy (saved as `ala-policy.bin`), frozen");
        sb.AppendLine();
        sb.AppendLine($"Cross-entropy rows train on the full training split; ALA rows hold out 10% for the policy's state, then refit on all rows. {epochs} epochs, seeds 1..{seeds}. " +
                      "`clusters-5`: 5 overlapping Gaussian clusters in 20 dimensions (4,000 rows, 80/20 split), a class count the policy never saw (the pair-shared policy acts on any C).");
        sb.AppendLine();
        sb.Append(table);
        sb.AppendLine();
        sb.Append(ReportRuns.Footer("ala-report", seeds, epochs));
        return sb.ToString();
    }
}
