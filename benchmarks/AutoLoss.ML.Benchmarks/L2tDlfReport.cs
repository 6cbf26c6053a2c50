using System.Globalization;
using System.Text;
using AutoLoss;
using AutoLoss.Core.Students;
using AutoLoss.Core.Teaching;
using AutoLoss.Core.Teaching.L2tDlf;
using AutoLoss.ML.Datasets;
using Microsoft.ML;
using ScottPlot;

namespace AutoLoss.ML.Benchmarks;

/// <summary>What <c>l2t-dlf-report</c> writes as JSON.</summary>
internal sealed record L2tDlfReportResult(
    int TeacherSeed, double[] CrossEntropyDevError, double[] L2tDlfDevError, double[] PhiDiagonalMean, double[] PhiOffDiagonalMean,
    double[] Bias, int TeacherUpdates, IReadOnlyList<TransferRow> Transfer);

/// <summary>
/// <c>l2t-dlf-report</c>: (1) trains the cross-entropy student and the L2T-DLF student (the accuracy benchmark's
/// <c>ce</c> and <c>l2t-dlf</c> settings, both with 10% of the training split held out as dev data) with seed 1,
/// recording dev error per epoch and the teacher's Phi_t; (2) saves the learned teacher; (3) transfer: for seeds
/// 1..N a narrower student (MLP 784-100-10) is trained on the full training split with cross-entropy and with the
/// saved teacher, frozen (no teacher retraining, no dev data), and both are scored on the fixed test split.
/// </summary>
internal static class L2tDlfReport
{
    private static readonly MlpSpec Narrow = new() { HiddenSizes = [100] };

    public static int Run(CommandLine cl)
    {
        int seeds = cl.Int("seeds", 3, min: 1);
        int epochs = cl.Int("epochs", 20, min: 1);
        string outDir = cl.String("out", "benchmarks/results");
        cl.RejectUnknown();
        var settings = new MethodSettings(epochs, 100, 0.1, Digits.ClassCount);
        Directory.CreateDirectory(outDir);
        const int teacherSeed = 1;

        // (1) Curves: dev error of both students, Phi_t of the teacher, per epoch of the final student.
        var ceDev = new List<double>();
        var digits = Tasks.All["digits"];
        ReportRuns.TestError(teacherSeed, digits, ml => Methods.Student(ml, settings, LossOptions.CrossEntropy(), validationFraction: 0.1,
            progress: e => ceDev.Add(100 * (1 - e.ValidationAccuracy!.Value))));
        var l2t = Methods.L2tDlf(settings.NumberOfClasses);
        var reports = new List<L2tDlfEpochReport>();
        l2t.EpochCompleted += r => { if (r.IsFinal) reports.Add(r); };
        L2tDlfTeacherModel? learned = null;   // a copy: the fitted model owns (and disposes) its own
        l2t.TeacherTrained += t => learned = t.Clone();
        double l2tTest = ReportRuns.TestError(teacherSeed, digits, ml => Methods.Student(ml, settings, l2t, validationFraction: 0.1));
        using var teacher = learned ?? throw new InvalidOperationException("The L2T-DLF run did not hand back its teacher.");
        string teacherPath = Path.Combine(outDir, "l2t-dlf-teacher.bin");
        teacher.Save(teacherPath);
        Console.WriteLine($"L2T-DLF seed {teacherSeed}: test error {l2tTest:F2} %; teacher ({teacher.TeacherUpdates} updates) saved to {teacherPath}.");

        // (3) Transfer to a narrower student, no teacher retraining.
        var transfer = new List<TransferRow>
        {
            ReportRuns.Transfer(seeds, digits, "MLP 784-100-10", "ce", ml => Methods.Student(ml, settings, LossOptions.CrossEntropy(), Narrow)),
            ReportRuns.Transfer(seeds, digits, "MLP 784-100-10", "l2t-dlf teacher from MLP 500-300 seed 1, frozen",
                ml => Methods.Student(ml, settings, new L2tDlfLossOptions { PretrainedTeacher = teacher }, Narrow)),
        };

        var result = new L2tDlfReportResult(teacherSeed, [.. ceDev], [.. reports.Select(r => 100 * (r.DevError ?? double.NaN))],
            [.. reports.Select(r => r.PhiDiagonalMean)], [.. reports.Select(r => r.PhiOffDiagonalMean)], [.. reports.Select(r => r.Bias)],
            teacher.TeacherUpdates, transfer);
        string stem = Path.Combine(outDir, "l2t-dlf-report");
        Report.WriteJson(stem + ".json", result);
        double[] epochAxis = [.. Enumerable.Range(1, result.PhiDiagonalMean.Length).Select(i => (double)i)];
        ReportRuns.PlotCurvesAndPhi(stem + ".png", $"digits, MLP 500-300, seed {teacherSeed}: dev error per epoch", "dev error (%)",
            result.CrossEntropyDevError, "L2T-DLF", result.L2tDlfDevError,
            epochAxis, result.PhiDiagonalMean, result.PhiOffDiagonalMean, "Phi_t statistic (end of epoch)", "the teacher's Phi_t over the final student's training");
        string table = ReportRuns.Table(transfer);
        File.WriteAllText(stem + ".md", Markdown(result, table, seeds, epochs));
        Console.Write(table);
        Console.WriteLine($"Wrote {stem}.json, {stem}.md, {stem}.png");
        return 0;
    }

    private static string Markdown(L2tDlfReportResult r, string table, int seeds, int epochs)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# L2T-DLF on `digits`: dev-error curves, Phi_t, and teacher transfer");
        sb.AppendLine();
        sb.AppendLine($"Seed {r.TeacherSeed}, MLP 784-500-300-10, SGD lr 0.1 momentum 0.9, batch 100, {epochs} epochs; 10% of the 8,000 training rows held out as dev data for both students.");
        sb.AppendLine($"Final dev error: cross-entropy {r.CrossEntropyDevError[^1].ToString("F2", inv)} %, L2T-DLF {r.L2tDlfDevError[^1].ToString("F2", inv)} %. " +
                      $"The teacher made {r.TeacherUpdates} updates; Phi_t's mean diagonal went {r.PhiDiagonalMean[0].ToString("F3", inv)} -> {r.PhiDiagonalMean[^1].ToString("F3", inv)}, " +
                      $"its mean off-diagonal {r.PhiOffDiagonalMean[0].ToString("F4", inv)} -> {r.PhiOffDiagonalMean[^1].ToString("F4", inv)}, b_t {r.Bias[0].ToString("F3", inv)} -> {r.Bias[^1].ToString("F3", inv)}.");
        sb.AppendLine();
        sb.AppendLine("![dev error and Phi_t](l2t-dlf-report.png)");
        sb.AppendLine();
        sb.AppendLine($"## Transfer: the seed-{r.TeacherSeed} teacher (saved as `l2t-dlf-teacher.bin`) teaches a narrower student, frozen");
        sb.AppendLine();
        sb.AppendLine($"Both rows train on the full 8,000-row training split (no dev data: the teacher does not learn), {epochs} epochs, seeds 1..{seeds}; test error on the fixed 2,000 test rows.");
        sb.AppendLine();
        sb.Append(table);
        sb.AppendLine();
        sb.Append(ReportRuns.Footer("l2t-dlf-report", seeds, epochs));
        return sb.ToString();
    }
}
