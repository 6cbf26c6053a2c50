using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// A per-example loss given by a <see cref="LossExpression"/>: the expression evaluated elementwise on p, z and y
/// ([B, K]) and summed over K. Its <see cref="Name"/> is the expression's text, which is what a saved model records.
/// Any non-finite value (possible only through huge constants) is replaced by 0 for that element's contribution.
/// </summary>
public sealed class ExpressionLoss : IPerExampleLoss
{
    /// <summary>A loss computing <paramref name="expression"/>.</summary>
    /// <exception cref="ArgumentException">The expression does not read both the prediction (p or z) and the label (y):
    /// it could not teach anything.</exception>
    public ExpressionLoss(LossExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (!expression.UsesPrediction || !expression.UsesLabel)
            throw new ArgumentException($"The loss expression \"{expression}\" must use the prediction (p or z) and the label (y); it uses {(expression.UsesPrediction ? "no label" : "no prediction")}.", nameof(expression));
        Expression = expression;
    }

    /// <summary>The expression.</summary>
    public LossExpression Expression { get; }

    /// <inheritdoc />
    public string Name => Expression.ToString();

    /// <inheritdoc />
    public void Validate(TrainingTask task, string optionName)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.LabelType != ScalarType.Int64 && task.OutputSize != 1)
            throw new ArgumentException($"{optionName} is the expression loss \"{Name}\"; expressions read class labels or a single regression target, and a {task} task has neither.", optionName);
    }

    /// <inheritdoc />
    public Tensor Compute(Tensor outputs, Tensor labels)
    {
        using var scope = NewDisposeScope();
        using var inputs = ExpressionInputs.Bind(outputs, labels);
        var elementwise = Expression.Evaluate(inputs);
        return elementwise.nan_to_num(0, 0, 0).sum(1).MoveToOuterDisposeScope();
    }
}
