using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// A loss written as an expression tree over the student's prediction and the label (AutoLoss-Zero's search space):
/// variables <c>p</c> (class probabilities, or the prediction of a regression student), <c>z</c> (the raw outputs:
/// logits) and <c>y</c> (the one-hot label, or the regression target), numeric constants, and the primitive operators of
/// <see cref="ExpressionOperators"/>. The tree is evaluated elementwise on [B, K] and summed over K, giving one loss per
/// example; e.g. cross-entropy is <c>-(y * log(p))</c>. Immutable; text round-trips through <see cref="Parse"/> and
/// <see cref="ToString"/>.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(LossExpressionJsonConverter))]
public abstract class LossExpression : IEquatable<LossExpression>
{
    private protected LossExpression() { }

    /// <summary>The class probabilities p (softmax of the logits), or a regression student's prediction.</summary>
    public static ExpressionVariable P { get; } = new("p", isPrediction: true);

    /// <summary>The raw outputs z (logits), or a regression student's prediction.</summary>
    public static ExpressionVariable Z { get; } = new("z", isPrediction: true);

    /// <summary>The label y: one-hot for classification, the target for regression.</summary>
    public static ExpressionVariable Y { get; } = new("y", isPrediction: false);

    /// <summary>The variables an expression may use, in a fixed order (searches draw from it).</summary>
    public static IReadOnlyList<ExpressionVariable> Variables { get; } = [P, Z, Y];

    /// <summary>The operands (none for variables and constants).</summary>
    public abstract IReadOnlyList<LossExpression> Children { get; }

    /// <summary>Levels of the tree: 1 for a variable or constant.</summary>
    public int Height => 1 + (Children.Count == 0 ? 0 : Children.Max(c => c.Height));

    /// <summary>Number of nodes.</summary>
    public int Size => 1 + Children.Sum(c => c.Size);

    /// <summary>True when the tree reads the prediction (p or z) somewhere.</summary>
    public bool UsesPrediction => this is ExpressionVariable { IsPrediction: true } || Children.Any(c => c.UsesPrediction);

    /// <summary>True when the tree reads the label y somewhere.</summary>
    public bool UsesLabel => this is ExpressionVariable { IsPrediction: false } || Children.Any(c => c.UsesLabel);

    /// <summary>Parses the text of an expression, e.g. <c>-(y * log(p))</c> or <c>max(1 - p, 0) * y</c>.</summary>
    /// <exception cref="FormatException">The text is not an expression; the message gives the position and what was expected.</exception>
    public static LossExpression Parse(string text) => ExpressionParser.Parse(text);

    /// <summary>A constant leaf.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not finite.</exception>
    public static ExpressionConstant Constant(double value) => new(value);

    /// <summary>The operator applied to the operands (as many as its arity).</summary>
    /// <exception cref="ArgumentException">The number of operands differs from the operator's arity.</exception>
    public static ExpressionOperation Apply(ExpressionOperator op, params LossExpression[] operands) => new(op, operands);

    /// <summary>The nodes in pre-order (this node first); a node's index here is what <see cref="ReplaceAt"/> takes.</summary>
    public IEnumerable<LossExpression> Nodes()
    {
        yield return this;
        foreach (var child in Children)
            foreach (var node in child.Nodes()) yield return node;
    }

    /// <summary>A copy of this tree with the node at pre-order <paramref name="index"/> replaced by <paramref name="replacement"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no node at <paramref name="index"/>.</exception>
    public LossExpression ReplaceAt(int index, LossExpression replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        if (index < 0 || index >= Size) throw new ArgumentOutOfRangeException(nameof(index), $"The expression has {Size} nodes; index {index} is outside it.");
        return Replace(index, replacement);
    }

    private LossExpression Replace(int index, LossExpression replacement)
    {
        if (index == 0) return replacement;
        if (this is not ExpressionOperation operation) throw new InvalidOperationException("A leaf has no node below it.");
        index--;
        var operands = operation.Children.ToArray();
        for (int i = 0; i < operands.Length; i++)
        {
            int size = operands[i].Size;
            if (index < size)
            {
                operands[i] = operands[i].Replace(index, replacement);
                return new ExpressionOperation(operation.Operator, operands);
            }
            index -= size;
        }
        throw new InvalidOperationException("Index beyond the tree.");
    }

    /// <summary>Evaluates the tree elementwise on the bound variables; returns [B, K] (or a broadcastable constant).</summary>
    internal abstract Tensor Evaluate(ExpressionInputs inputs);

    /// <summary>The text of the expression (infix, with only the parentheses precedence needs).</summary>
    public sealed override string ToString() => ExpressionPrinter.Print(this);

    /// <summary>Two expressions are equal when they have the same tree (the same text).</summary>
    public bool Equals(LossExpression? other) => other is not null && ToString() == other.ToString();

    /// <inheritdoc />
    public sealed override bool Equals(object? obj) => Equals(obj as LossExpression);

    /// <inheritdoc />
    public sealed override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());
}
