
namespace AutoLoss.Core.Losses;

/// <summary>The refusal every loss over class probabilities gives a task that has no classes.</summary>
public static class ClassificationLossCheck
{
    /// <summary>Returns <paramref name="task"/> as a <see cref="ClassificationTask"/>, or throws
    /// <see cref="ArgumentException"/> naming <paramref name="optionName"/> and the task's own default loss.</summary>
    public static ClassificationTask Require(TrainingTask task, string lossName, string optionName)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task as ClassificationTask ?? throw new ArgumentException(
            $"{optionName} is {lossName}, a classification loss over class probabilities; it cannot train a {task} student. " +
            $"Set {optionName} to {task.CreateDefaultLoss()} (the {task} default) or another {task} loss.", optionName);
    }
}
