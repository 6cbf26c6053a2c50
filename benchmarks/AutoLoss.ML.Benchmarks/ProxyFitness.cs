using AutoLoss;
using AutoLoss.Core.Search;
using AutoLoss.Core.Training;

namespace AutoLoss.ML.Benchmarks;

/// <summary>The loss searches' fitness: mean validation accuracy of one proxy training run per proxy task, each with the
/// candidate loss and the trial's seed; the per-task accuracies are kept as measurements.</summary>
internal static class ProxyFitness
{
    public static DelegateTrialEvaluator<T> Evaluator<T>(IReadOnlyList<ProxyTask> tasks, int epochs, Func<T, LossOptions> loss) =>
        new(new SearchObjective(MetricNames.Accuracy, higherIsBetter: true), (trial, reporter, token) =>
        {
            var accuracies = new Dictionary<string, double>();
            int step = 0;
            foreach (var task in tasks)
            {
                var settings = LossSearchTasks.Settings(epochs);
                settings.Seed = trial.Seed;
                settings.CancellationToken = token;
                var outcome = StudentTrainer.Train(new TrainingProblem
                {
                    Student = task.Student(), Task = TrainingTask.Multiclass(10), Train = task.Train, Validation = task.Validation, Loss = loss(trial.Candidate),
                }, settings);
                using (outcome.Student)
                    accuracies[task.Name] = outcome.History[^1].Validation[MetricNames.Accuracy];
                reporter.Report(++step, accuracies.Values.Average());
            }
            return TrialResult.Completed(accuracies.Values.Average(), accuracies);
        });
}
