using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// One primitive of the loss-expression language: a function of one or two tensors, applied elementwise, with the
/// numerical safeguard it needs (a guarded log, division or square root), and how it is written. The built-in set is
/// <see cref="ExpressionOperators.All"/>; an operator is looked up by <see cref="Name"/> or <see cref="Symbol"/>.
/// </summary>
public sealed class ExpressionOperator
{
    private readonly Func<Tensor, Tensor, Tensor> _apply;

    internal ExpressionOperator(string name, int arity, Func<Tensor, Tensor, Tensor> apply, string? symbol = null, int precedence = 0)
    {
        Name = name;
        Arity = arity;
        Symbol = symbol;
        Precedence = precedence;
        _apply = apply;
    }

    /// <summary>The name, e.g. "log" or "add"; function-call syntax uses it (<c>log(p)</c>, <c>max(p, y)</c>).</summary>
    public string Name { get; }

    /// <summary>1 or 2 arguments.</summary>
    public int Arity { get; }

    /// <summary>The infix symbol of a binary arithmetic operator ("+", "-", "*", "/"), or "-" for negation; null for
    /// operators written as function calls.</summary>
    public string? Symbol { get; }

    /// <summary>Binding strength of an infix operator: 1 for + and -, 2 for * and /, 3 for unary minus.</summary>
    public int Precedence { get; }

    /// <summary>True when the operator is written between its operands (a op b).</summary>
    public bool IsInfix => Symbol is not null && Arity == 2;

    /// <summary>Applies the operator; <paramref name="right"/> is ignored by unary operators.</summary>
    internal Tensor Apply(Tensor left, Tensor? right) => _apply(left, right!);

    /// <inheritdoc />
    public override string ToString() => Name;
}
