using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>A leaf naming an input of the loss: <c>p</c>, <c>z</c> (the prediction) or <c>y</c> (the label).</summary>
public sealed class ExpressionVariable : LossExpression
{
    internal ExpressionVariable(string name, bool isPrediction)
    {
        Name = name;
        IsPrediction = isPrediction;
    }

    /// <summary>"p", "z" or "y".</summary>
    public string Name { get; }

    /// <summary>True for the prediction's variables (p, z), false for the label (y).</summary>
    public bool IsPrediction { get; }

    /// <inheritdoc />
    public override IReadOnlyList<LossExpression> Children => [];

    internal override Tensor Evaluate(ExpressionInputs inputs) => inputs.Of(this).alias();
}
