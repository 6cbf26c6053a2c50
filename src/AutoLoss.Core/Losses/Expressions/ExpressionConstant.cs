using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>A numeric leaf.</summary>
public sealed class ExpressionConstant : LossExpression
{
    internal ExpressionConstant(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "An expression constant must be a finite number.");
        Value = value;
    }

    /// <summary>The value.</summary>
    public double Value { get; }

    /// <inheritdoc />
    public override IReadOnlyList<LossExpression> Children => [];

    internal override Tensor Evaluate(ExpressionInputs inputs) => full_like(inputs.Of(Y), Value);
}
