namespace AutoLoss.Core.Teaching;

/// <summary>
/// Chooses what the student minimises. Each concrete option class (cross-entropy, the fixed
/// Phi-parametric loss, and the teachers and policies of later methods) validates its settings
/// and creates the <see cref="ILossTeacher"/> that the training loop consults at every step.
/// </summary>
public abstract class LossOptions
{
    /// <summary>True when the method needs validation data (D_dev) to learn; the trainer then
    /// refuses to run without a validation fraction or an explicit validation set.</summary>
    public virtual bool RequiresValidationData => false;

    /// <summary>Checks the settings against the task before any tensor is created; throws
    /// <see cref="ArgumentException"/> naming the option and the fix.</summary>
    /// <param name="numberOfClasses">Number of classes C of the task.</param>
    /// <param name="optionName">Name of the option holding this object, used in messages.</param>
    public abstract void Validate(int numberOfClasses, string optionName);

    /// <summary>Creates a fresh teacher for one training run (already validated).</summary>
    public abstract ILossTeacher CreateTeacher(int numberOfClasses);

    /// <summary>Cross-entropy, -y^T log p (the default).</summary>
    public static CrossEntropyLossOptions CrossEntropy() => new();

    /// <summary>The fixed parametric loss -sigmoid(y^T Phi log p + b) with a user-given C x C Phi.</summary>
    public static ParametricLossOptions Parametric(float[,] phi, float bias = 0f) => new() { Phi = phi, Bias = bias };
}
