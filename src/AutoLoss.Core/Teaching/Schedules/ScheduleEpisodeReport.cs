using AutoLoss.Core.Teaching.Schedules;
namespace AutoLoss;

/// <summary>One student trained under an AutoLoss schedule (a controller-training episode or the final student), as
/// raised by <see cref="ScheduleLossOptions.EpisodeCompleted"/>.</summary>
/// <param name="Episode">Zero-based index (equal to the number of episodes for the final student).</param>
/// <param name="IsFinal">True for the student the run returns.</param>
/// <param name="ValidationLoss">The task's validation loss at the end (MSE for regression, log-loss for classification; standardised
/// targets for regression).</param>
/// <param name="ChoiceShares">Share of the steps each objective was chosen, in objective order.</param>
/// <param name="ControllerUpdates">REINFORCE updates of the controller so far.</param>
public sealed record ScheduleEpisodeReport(int Episode, bool IsFinal, double ValidationLoss, double[] ChoiceShares, int ControllerUpdates);
