using Microsoft.ML;
using ScottPlot;

namespace AutoLoss.ML.Benchmarks;

/// <summary>One student's test error in a transfer table.</summary>
internal sealed record TransferRow(string Student, string Loss, int Seeds, double MeanError, double StdError, double[] Errors);

/// <summary>Single fits and seed sweeps shared by the method reports (<c>l2t-dlf-report</c>, <c>ala-report</c>).</summary>
internal static class ReportRuns
{
    /// <summary>Fits one estimator with seed s on the task's training split and returns its test error in percent.</summary>
    public static double TestError(int seed, BenchmarkTask task, Func<MLContext, IEstimator<ITransformer>> build)
    {
        var ml = new MLContext(seed: seed);
        var (train, test) = task.Load(ml);
        var model = build(ml).Fit(train);
        try
        {
            return 100 * (1 - ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy);
        }
        finally
        {
            AccuracyBenchmark.DisposeModel(model);
        }
    }

    /// <summary>Test error of one student/loss over seeds 1..<paramref name="seeds"/>.</summary>
    public static TransferRow Transfer(int seeds, BenchmarkTask task, string student, string loss, Func<MLContext, IEstimator<ITransformer>> build)
    {
        var errors = Enumerable.Range(1, seeds).Select(s =>
        {
            double error = TestError(s, task, build);
            Console.WriteLine($"  {task.Name}, {student}, {loss}, seed {s}: test error {error:F2} %");
            return error;
        }).ToArray();
        return new TransferRow(student, loss, seeds, Stats.Mean(errors), Stats.SampleStd(errors), errors);
    }

    /// <summary>The two-panel figure of a method report: validation (dev) error per epoch for cross-entropy and the
    /// method, above the method's Phi_t statistics (mean diagonal, 10 x mean off-diagonal) against epochs.</summary>
    public static void PlotCurvesAndPhi(string path, string curveTitle, string errorLabel, double[] crossEntropy, string method, double[] methodCurve,
        double[] phiEpochs, double[] diagonalMean, double[] offDiagonalMean, string phiLabel, string phiTitle)
    {
        var multi = new Multiplot();
        multi.AddPlots(2);
        var curves = multi.GetPlot(0);
        double[] Epochs(int n) => Enumerable.Range(1, n).Select(i => (double)i).ToArray();
        curves.Add.Scatter(Epochs(crossEntropy.Length), crossEntropy).LegendText = "cross-entropy";
        curves.Add.Scatter(Epochs(methodCurve.Length), methodCurve).LegendText = method;
        curves.XLabel("epoch");
        curves.YLabel(errorLabel);
        curves.Title(curveTitle);
        curves.ShowLegend(Alignment.UpperRight);
        var phi = multi.GetPlot(1);
        phi.Add.Scatter(phiEpochs, diagonalMean).LegendText = "mean diagonal of Phi_t";
        phi.Add.Scatter(phiEpochs, offDiagonalMean.Select(v => 10 * v).ToArray()).LegendText = "10 x mean off-diagonal of Phi_t";
        phi.XLabel("epoch");
        phi.YLabel(phiLabel);
        phi.Title(phiTitle);
        phi.ShowLegend(Alignment.MiddleRight);
        multi.SavePng(path, 900, 800);
    }

    /// <summary>The end of a report's Markdown: the machine, then the command that reproduces it.</summary>
    public static string Footer(string verb, int seeds, int epochs) =>
        Report.Environment().Markdown() + Environment.NewLine + Environment.NewLine +
        $"Reproduce: `dotnet run -c Release --project benchmarks/AutoLoss.ML.Benchmarks -- {verb} --seeds {seeds} --epochs {epochs}" +
        (BenchmarkOptions.TorchThreads > 0 ? $" --threads {BenchmarkOptions.TorchThreads}" : "") + " --out benchmarks/results`" + Environment.NewLine;

    /// <summary>The Markdown table of transfer rows.</summary>
    public static string Table(IEnumerable<TransferRow> rows) =>
        Report.Table(["student", "loss", "seeds", "test error % (mean ± std)", "per-seed errors %"],
            rows.Select(t => (IReadOnlyList<string>)[t.Student, t.Loss, t.Seeds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{Report.F(t.MeanError, 2)} ± {Report.F(t.StdError, 2)}", string.Join(", ", t.Errors.Select(e => Report.F(e, 2)))]), "llrrl");
}
