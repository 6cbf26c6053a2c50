namespace AutoLoss.Core.Teaching.Schedules;

/// <summary>Which of the policies met while learning schedules the final student (and is handed back in
/// <see cref="ScheduleLossOptions.LastTrainedController"/>).</summary>
public enum ScheduleControllerSelection
{
    /// <summary>The controller after the last REINFORCE update, as the paper does.</summary>
    Last,

    /// <summary>The policy of the group of <see cref="ScheduleLossOptions.EpisodesPerUpdate"/> episodes whose students
    /// ended with the lowest mean validation loss (after their last epoch, as reported by
    /// <see cref="ScheduleLossOptions.EpisodeCompleted"/>: MSE for regression, log-loss for classification): theta as it
    /// was when that group began, since a group's episodes all run the same policy. Early stopping for the controller: REINFORCE on noisy returns can drift past a
    /// good mix of objectives late in learning, and this keeps the mix that did best on validation data. Needs
    /// EpisodesPerUpdate &gt;= 2 (a single episode is too noisy a score).</summary>
    BestGroup,
}
