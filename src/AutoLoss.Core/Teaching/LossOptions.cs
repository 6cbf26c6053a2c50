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

    /// <summary>Generalized cross-entropy (1 - p_y^q) / q, robust to label noise (<see cref="GeneralizedCrossEntropyLoss"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">q is outside (0, 1].</exception>
    public static FixedLossOptions GeneralizedCrossEntropy(double q = 0.7) =>
        Robust(() => new GeneralizedCrossEntropyLoss(q), $"LossOptions.GeneralizedCrossEntropy({q})");

    /// <summary>Symmetric cross-entropy alpha CE + beta RCE (<see cref="SymmetricCrossEntropyLoss"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A weight is negative, or both are 0.</exception>
    public static FixedLossOptions SymmetricCrossEntropy(double alpha = 0.1, double beta = 1) =>
        Robust(() => new SymmetricCrossEntropyLoss(alpha, beta), $"LossOptions.SymmetricCrossEntropy({alpha}, {beta})");

    /// <summary>The active-passive pair alpha NCE + beta RCE (<see cref="ActivePassiveLoss"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A weight is negative, or both are 0.</exception>
    public static FixedLossOptions ActivePassive(double alpha = 1, double beta = 1) =>
        Robust(() => new ActivePassiveLoss(alpha, beta), $"LossOptions.ActivePassive({alpha}, {beta})");

    /// <summary>Poly-1, cross-entropy + epsilon (1 - p_y) (<see cref="Poly1Loss"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">epsilon is below -1.</exception>
    public static FixedLossOptions Poly1(double epsilon = 1) =>
        Robust(() => new Poly1Loss(epsilon), $"LossOptions.Poly1({epsilon})");

    /// <summary>Cross-entropy against labels smoothed by epsilon (<see cref="LabelSmoothingLoss"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">epsilon is outside [0, 1).</exception>
    public static FixedLossOptions LabelSmoothing(double epsilon = 0.1) =>
        Robust(() => new LabelSmoothingLoss(epsilon), $"LossOptions.LabelSmoothing({epsilon})");

    /// <summary>A loss written as an expression over p (class probabilities or the regression prediction), z (logits)
    /// and y (one-hot label or target), e.g. <c>-(y * log(p))</c> for cross-entropy (<see cref="LossExpression"/>,
    /// <see cref="ExpressionLoss"/>). A searched loss's text is used the same way.</summary>
    /// <exception cref="FormatException">The text is not an expression (the message gives the position).</exception>
    /// <exception cref="ArgumentException">The expression does not use both the prediction and the label.</exception>
    public static FixedLossOptions Expression(string expression) => Expression(LossExpression.Parse(expression));

    /// <summary>The loss of a parsed or searched <see cref="LossExpression"/> (see <see cref="Expression(string)"/>).</summary>
    /// <exception cref="ArgumentException">The expression does not use both the prediction and the label.</exception>
    public static FixedLossOptions Expression(LossExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        string text = expression.ToString();
        return Robust(() => new ExpressionLoss(expression), $"LossOptions.Expression(\"{text}\")");
    }

    /// <summary>The third-order Taylor-polynomial loss with parameters theta_0..theta_7 (<see cref="TaylorPolynomialLoss"/>),
    /// e.g. the result of a Taylor loss search.</summary>
    /// <exception cref="ArgumentException">Not 8 finite parameters, or no coefficient set.</exception>
    public static FixedLossOptions TaylorPolynomial(params double[] theta) =>
        Robust(() => new TaylorPolynomialLoss(theta), $"LossOptions.TaylorPolynomial({string.Join(", ", (theta ?? []).Select(t => t.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))})");

    /// <summary>A fixed loss whose settings are checked now (the constructor throws), not at the first run.</summary>
    private static FixedLossOptions Robust(Func<IPerExampleLoss> create, string description)
    {
        _ = create();
        return new FixedLossOptions(create, description);
    }

    /// <summary>Any per-example loss, fixed for the whole run: the student minimises its (weighted) mean. The factory
    /// is called for every training run and for every check of the options (its <c>Validate</c>), so it should return
    /// a new loss each time; a loss that is <see cref="IDisposable"/> is disposed after the run or the check.</summary>
    /// <param name="createLoss">Creates the loss for one run.</param>
    public static FixedLossOptions PerExample(Func<IPerExampleLoss> createLoss) => new(createLoss);
}
