using AutoLoss.Core.Data;

namespace AutoLoss.Core.Training;

/// <summary>
/// The checks a training run makes before any tensor exists: the settings against the task, the student against the
/// features, the loss against the task, cached labels against the task, and the validation data the loss, early
/// stopping or a refit need. A libtorch error aborts the process on Linux, so bad input must be refused here, with the
/// option's name and the fix.
/// </summary>
public static class TrainingProblemChecks
{
    /// <summary>Throws <see cref="ArgumentException"/> for the first thing that makes <paramref name="problem"/> unusable
    /// with <paramref name="settings"/> and <paramref name="loss"/>.</summary>
    internal static void Require(TrainingProblem problem, TrainingSettings settings, LossOptions loss)
    {
        settings.Validate(problem.Task);
        problem.Student.Validate("Student");
        problem.Student.ValidateInput(problem.Train.FeatureCount, "Student");
        settings.Augmentation?.Validate(problem.Student.InputShape, "Augmentation");
        loss.Validate(problem.Task, "Loss");
        if (problem.Train is InMemoryDataset cachedTrain)
            RequireLabelsFor(problem.Task, cachedTrain, "training");
        if (problem.Validation is { } v)
        {
            RequireLabelsFor(problem.Task, v, "validation");
            if (v.FeatureCount != problem.Train.FeatureCount)
                throw new ArgumentException($"The validation data has {v.FeatureCount} features, the training data {problem.Train.FeatureCount}; build both the same way.", nameof(problem));
        }
        if (!(problem.TargetScale > 0 && double.IsFinite(problem.TargetScale)))
            throw new ArgumentOutOfRangeException(nameof(problem), $"TrainingProblem.TargetScale is {problem.TargetScale}; it must be positive and finite (1 for unscaled targets).");
        RequireValidationWhereNeeded(loss, settings.EarlyStoppingPatience, problem.Validation is not null);
        if (settings.RefitOnAllData && (problem.Validation is null || problem.TrainAndValidation is null))
            throw new ArgumentException(
                "RefitOnAllData retrains on the training plus validation rows, so it needs validation data (set ValidationFraction, e.g. 0.1, or ValidationData) " +
                "and, in the core, TrainingProblem.TrainAndValidation; or set RefitOnAllData to false.", "RefitOnAllData");
        if (settings.RefitOnAllData && problem.TrainAndValidation!.FeatureCount != problem.Train.FeatureCount)
            throw new ArgumentException($"TrainingProblem.TrainAndValidation has {problem.TrainAndValidation.FeatureCount} features, the training data {problem.Train.FeatureCount}.", nameof(problem));
    }

    /// <summary>Throws when the loss or early stopping needs validation data that is absent.</summary>
    public static void RequireValidationWhereNeeded(LossOptions loss, int earlyStoppingPatience, bool hasValidation)
    {
        if (hasValidation) return;
        if (loss.RequiresValidationData)
            throw new ArgumentException($"Loss '{loss}' learns from validation data; set ValidationFraction (e.g. 0.1) or ValidationData.", "Loss");
        if (earlyStoppingPatience > 0)
            throw new ArgumentException("EarlyStoppingPatience needs validation data; set ValidationFraction (e.g. 0.1) or ValidationData, or set EarlyStoppingPatience to 0.", "EarlyStoppingPatience");
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="data"/>'s labels are not of the task's type,
    /// or, for a classification task, a class index is outside [0, C).</summary>
    private static void RequireLabelsFor(TrainingTask task, InMemoryDataset data, string which)
    {
        if (data.Labels.dtype != task.LabelType)
            throw new ArgumentException($"The {which} labels are {data.Labels.dtype}; a {task} task needs {task.LabelType} labels.", "problem");
        if (task is not ClassificationTask classification || data.Count == 0) return;
        using var low = data.Labels.min();
        using var high = data.Labels.max();
        long min = low.item<long>(), max = high.item<long>();
        if (min < 0 || max >= classification.NumberOfClasses)
            throw new ArgumentException(
                $"The {which} labels hold class indices from {min} to {max}; a {task} task needs them in [0, {classification.NumberOfClasses}).", "problem");
    }
}
