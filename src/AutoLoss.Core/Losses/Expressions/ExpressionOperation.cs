using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>An operator applied to one or two operand expressions.</summary>
public sealed class ExpressionOperation : LossExpression
{
    private readonly LossExpression[] _operands;

    internal ExpressionOperation(ExpressionOperator op, LossExpression[] operands)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(operands);
        if (operands.Length != op.Arity)
            throw new ArgumentException($"{op.Name} takes {op.Arity} operand(s); {operands.Length} were given.", nameof(operands));
        foreach (var operand in operands) ArgumentNullException.ThrowIfNull(operand, nameof(operands));
        Operator = op;
        _operands = operands;
    }

    /// <summary>The operator.</summary>
    public ExpressionOperator Operator { get; }

    /// <inheritdoc />
    public override IReadOnlyList<LossExpression> Children => _operands;

    internal override Tensor Evaluate(ExpressionInputs inputs)
    {
        using var left = _operands[0].Evaluate(inputs);
        if (_operands.Length == 1) return Operator.Apply(left, null);
        using var right = _operands[1].Evaluate(inputs);
        return Operator.Apply(left, right);
    }
}
