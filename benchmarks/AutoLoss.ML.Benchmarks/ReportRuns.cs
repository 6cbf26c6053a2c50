using Microsoft.ML;

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

    /// <summary>The Markdown table of transfer rows.</summary>
    public static string Table(IEnumerable<TransferRow> rows) =>
        Report.Table(["student", "loss", "seeds", "test error % (mean ± std)", "per-seed errors %"],
            rows.Select(t => (IReadOnlyList<string>)[t.Student, t.Loss, t.Seeds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{Report.F(t.MeanError, 2)} ± {Report.F(t.StdError, 2)}", string.Join(", ", t.Errors.Select(e => Report.F(e, 2)))]), "llrrl");
}
