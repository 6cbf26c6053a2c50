using AutoLoss.Core.Teaching;

namespace AutoLoss;

/// <summary>
/// Chooses what the student minimises. Each concrete option class (a fixed per-example loss, the Phi-parametric loss,
/// and the teachers and policies of the adaptive methods) validates its settings against the task and creates the
/// <see cref="ILossTeacher"/> that the training loop consults at every step. A new method is a new subclass.
/// </summary>
public abstract class LossOptions
{
    /// <summary>True when the method needs validation data (D_dev) to learn; the trainer then
    /// refuses to run without a validation fraction or an explicit validation set.</summary>
    public virtual bool RequiresValidationData => false;

    /// <summary>Checks the settings against <paramref name="task"/> before any tensor is created; throws
    /// <see cref="ArgumentException"/> naming the option and the fix.</summary>
    /// <param name="task">The task the student learns.</param>
    /// <param name="optionName">Name of the option holding this object, used in messages.</param>
    public abstract void Validate(TrainingTask task, string optionName);

    /// <summary>Creates a fresh teacher for one training run on <paramref name="task"/> (validated first).</summary>
    public abstract ILossTeacher CreateTeacher(TrainingTask task);

    /// <summary>Cross-entropy, -y^T log p (the classification default).</summary>
    public static FixedLossOptions CrossEntropy() => new(() => CrossEntropyLoss.Instance, "LossOptions.CrossEntropy()");

    /// <summary>Squared error, (f_w(x) - y)^2 (the regression default; cross-entropy's counterpart).</summary>
    public static FixedLossOptions SquaredError() => new(() => SquaredErrorLoss.Instance, "LossOptions.SquaredError()");

    /// <summary>The fixed parametric loss -sigmoid(y^T Phi log p + b) with a user-given C x C Phi.</summary>
    public static ParametricLossOptions Parametric(float[,] phi, float bias = 0f) => new() { Phi = phi, Bias = bias };

    /// <summary>Any per-example loss, fixed for the whole run: the student minimises its (weighted) mean. The factory
    /// is called for every training run and for every check of the options (its <c>Validate</c>), so it should return
    /// a new loss each time; a loss that is <see cref="IDisposable"/> is disposed after the run or the check.</summary>
    /// <param name="createLoss">Creates the loss for one run.</param>
    public static FixedLossOptions PerExample(Func<IPerExampleLoss> createLoss) => new(createLoss);
}
