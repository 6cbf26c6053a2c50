using AutoLoss.Core.Training;

namespace AutoLoss.Core.Teaching;

/// <summary>
/// Chooses what the student minimises. Each concrete option class (cross-entropy, the fixed
/// Phi-parametric loss, squared error, and the teachers and policies of later methods) validates
/// its settings against the task and creates the <see cref="ILossTeacher"/> that the training loop
/// consults at every step.
/// </summary>
/// <remarks>
/// A loss is a classification loss unless it overrides the <see cref="TrainingTask"/> overloads:
/// the defaults accept a multiclass or binary task (checked by <see cref="Validate(int, string)"/>) and refuse
/// any other with a message that names the option and the loss to use instead.
/// </remarks>
public abstract class LossOptions
{
    /// <summary>True when the method needs validation data (D_dev) to learn; the trainer then
    /// refuses to run without a validation fraction or an explicit validation set.</summary>
    public virtual bool RequiresValidationData => false;

    /// <summary>Checks the settings against a multiclass task before any tensor is created; throws
    /// <see cref="ArgumentException"/> naming the option and the fix.</summary>
    /// <param name="numberOfClasses">Number of classes C of the task.</param>
    /// <param name="optionName">Name of the option holding this object, used in messages.</param>
    public abstract void Validate(int numberOfClasses, string optionName);

    /// <summary>Creates a fresh teacher for one multiclass training run (already validated).</summary>
    public abstract ILossTeacher CreateTeacher(int numberOfClasses);

    /// <summary>Checks the settings against <paramref name="task"/> before any tensor is created; throws
    /// <see cref="ArgumentException"/> naming the option and the fix. The default accepts multiclass
    /// and binary tasks (a classification loss).</summary>
    /// <param name="task">The task the student learns.</param>
    /// <param name="optionName">Name of the option holding this object, used in messages.</param>
    public virtual void Validate(TrainingTask task, string optionName)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!task.IsClassification)
            throw new ArgumentException(
                $"{optionName} is {this}, a classification loss over class probabilities; it cannot train a {task} student. " +
                $"Set {optionName} to LossOptions.SquaredError() (the regression default).", optionName);
        Validate(task.NumberOfClasses, optionName);
    }

    /// <summary>Creates a fresh teacher for one training run on <paramref name="task"/> (already validated).</summary>
    public virtual ILossTeacher CreateTeacher(TrainingTask task)
    {
        Validate(task, "Loss");
        return CreateTeacher(task.NumberOfClasses);
    }

    /// <summary>Cross-entropy, -y^T log p (the multiclass default).</summary>
    public static CrossEntropyLossOptions CrossEntropy() => new();

    /// <summary>Squared error, (f_w(x) - y)^2 (the regression default; cross-entropy's counterpart).</summary>
    public static SquaredErrorLossOptions SquaredError() => new();

    /// <summary>The fixed parametric loss -sigmoid(y^T Phi log p + b) with a user-given C x C Phi.</summary>
    public static ParametricLossOptions Parametric(float[,] phi, float bias = 0f) => new() { Phi = phi, Bias = bias };
}
