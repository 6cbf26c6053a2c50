using System.Diagnostics;
using AutoLoss;
using AutoLoss.Core.Training;

namespace AutoLoss.ML.Benchmarks;

/// <summary>
/// <c>loss-search --check "e1;e2"</c>: the proxy fitness (validation accuracy per proxy task after a proxy training run)
/// of given loss expressions, to see what the search's fitness rewards before spending a search on it.
/// </summary>
internal static class LossProxyCheck
{
    public static int Run(CommandLine cl)
    {
        var expressions = cl.String("check", "-(y * log(p))").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int epochs = cl.Int("proxy-epochs", LossSearchBenchmark.DefaultProxyEpochs, min: 1);
        int seed = cl.Int("seed", 1);
        cl.RejectUnknown();
        var tasks = LossSearchTasks.DigitsProxies(epochs);
        try
        {
            foreach (var text in expressions)
            {
                var loss = LossOptions.Expression(text);
                foreach (var task in tasks)
                {
                    var clock = Stopwatch.StartNew();
                    var settings = task.Settings.Copy();
                    settings.Seed = seed;
                    var outcome = StudentTrainer.Train(new TrainingProblem
                    {
                        Student = task.Student(), Task = task.Task, Train = task.Train, Validation = task.Validation, Loss = loss,
                    }, settings);
                    using (outcome.Student)
                    {
                        var accuracies = outcome.History.Select(h => h.Validation[MetricNames.Accuracy]).ToList();
                        Console.WriteLine($"{text,-40} {task.Name,-14} accuracy {100 * accuracies[^1]:F2}% (best epoch {100 * accuracies.Max():F2}%) {clock.Elapsed.TotalSeconds:F1} s");
                    }
                }
            }
        }
        finally
        {
            LossSearchTasks.Dispose(tasks);
        }
        return 0;
    }
}
