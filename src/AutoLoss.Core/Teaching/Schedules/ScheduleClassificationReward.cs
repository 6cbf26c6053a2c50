using AutoLoss.Core.Teaching.Schedules;
namespace AutoLoss;

/// <summary>The validation measure whose relative improvement rewards an AutoLoss schedule controller on a
/// classification task (regression always uses the validation mean squared error).</summary>
public enum ScheduleClassificationReward
{
    /// <summary>Log-loss at the logits' best single temperature (<see cref="AutoLoss.Core.Losses.TemperatureScaledLogLoss"/>): rewards
    /// separating the classes, so a weight penalty that shrinks the logits is not punished for the confidence it takes
    /// away. On the L1 benchmarks it is lowest at the lambda with the lowest test error, where plain log-loss prefers
    /// lambda near 0.</summary>
    CalibratedLogLoss,

    /// <summary>Plain validation log-loss, mean -log p_y: rewards confident correct probabilities too.</summary>
    LogLoss,
}
