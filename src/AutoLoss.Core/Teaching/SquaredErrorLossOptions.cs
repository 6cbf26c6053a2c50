using AutoLoss.Core.Training;

namespace AutoLoss.Core.Teaching;

/// <summary>Squared error, (f_w(x) - y)^2, averaged over the batch (weighted by the example weights
/// when given): the regression task loss and the regression default. Refuses classification tasks.</summary>
public sealed class SquaredErrorLossOptions : LossOptions
{
    /// <inheritdoc />
    public override void Validate(TrainingTask task, string optionName)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!task.IsRegression) throw Refusal(optionName);
    }

    /// <inheritdoc />
    public override ILossTeacher CreateTeacher(TrainingTask task)
    {
        Validate(task, "Loss");
        return new FixedLossTeacher("squared error", state => Losses.SquaredError.PerExample(state.Logits, state.Labels));
    }

    /// <summary>Always throws: squared error is not a classification loss.</summary>
    /// <exception cref="ArgumentException">Always.</exception>
    public override void Validate(int numberOfClasses, string optionName) => throw Refusal(optionName);

    /// <summary>Always throws: squared error is not a classification loss.</summary>
    /// <exception cref="ArgumentException">Always.</exception>
    public override ILossTeacher CreateTeacher(int numberOfClasses) => throw Refusal("Loss");

    /// <inheritdoc />
    public override string ToString() => "squared error";

    private static ArgumentException Refusal(string optionName) => new(
        $"{optionName} is squared error, a regression loss; a classification student needs a classification loss: " +
        $"set {optionName} to LossOptions.CrossEntropy() (the default) or LossOptions.Parametric(...).", optionName);
}
