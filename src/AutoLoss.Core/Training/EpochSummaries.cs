using System.Text;
using AutoLoss.Core.Metrics;
using static TorchSharp.torch;

namespace AutoLoss.Core.Training;

/// <summary>What the loop reports after an epoch: the task's validation metrics by name, measured in one pass.</summary>
internal static class EpochSummaries
{
    /// <summary>The epoch's summary: the train loss and, with validation data, every metric of the task in one pass
    /// (squared errors times <paramref name="squaredErrorScale"/>, the square of the targets' scale, so in label units).</summary>
    public static EpochSummary Measure(TrainingProblem problem, nn.Module<Tensor, Tensor> student, int epoch, double trainLoss, double lr, TimeSpan elapsed,
        double squaredErrorScale)
    {
        if (problem.Validation is null) return new EpochSummary(epoch, trainLoss, lr, elapsed);
        var metrics = problem.Task.Metrics;
        var values = ValidationMetrics.Measure(student, problem.Validation, metrics);
        var byName = new Dictionary<string, double>();
        var text = new StringBuilder();
        for (int i = 0; i < metrics.Count; i++)
        {
            double value = metrics[i].IsSquaredTargetError ? values[i] * squaredErrorScale : values[i];
            byName[metrics[i].Name] = value;
            text.Append(", ").Append(metrics[i].Format(value));
        }
        return new EpochSummary(epoch, trainLoss, lr, elapsed)
        {
            Validation = byName,
            ValidationLoss = byName[problem.Task.ValidationLossMetric],
            ValidationText = text.ToString(),
        };
    }
}
