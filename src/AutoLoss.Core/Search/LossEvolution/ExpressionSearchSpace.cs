namespace AutoLoss.Core.Search.LossEvolution;

/// <summary>
/// Random loss expressions (AutoLoss-Zero's elementary search space): trees of <see cref="ExpressionOperators.All"/>
/// over the variables p, z, y and the constants of <see cref="Constants"/>, grown at random up to
/// <see cref="MaxInitialHeight"/>, each using both the prediction and the label. Two expressions are the same candidate
/// when their texts are equal.
/// </summary>
public sealed class ExpressionSearchSpace : ISearchSpace<LossExpression>
{
    /// <summary>Default of <see cref="MaxInitialHeight"/>.</summary>
    public const int DefaultMaxInitialHeight = 4;

    /// <summary>A space whose random trees are at most <paramref name="maxInitialHeight"/> levels high.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The height is below 2 (a tree needs an operator to use both inputs).</exception>
    public ExpressionSearchSpace(int maxInitialHeight = DefaultMaxInitialHeight)
    {
        if (maxInitialHeight < 2)
            throw new ArgumentOutOfRangeException(nameof(maxInitialHeight), maxInitialHeight, $"maxInitialHeight must be at least 2 (default {DefaultMaxInitialHeight}): one operator over a prediction and the label.");
        MaxInitialHeight = maxInitialHeight;
    }

    /// <summary>Height limit of drawn trees (a leaf has height 1).</summary>
    public int MaxInitialHeight { get; }

    /// <summary>The constants a leaf may be (EvoMAL's and AutoLoss-Zero's +-1, plus 0.5 and 2 for scales).</summary>
    public static IReadOnlyList<double> Constants { get; } = [1, -1, 0.5, 2];

    /// <inheritdoc />
    public LossExpression Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        while (true)
        {
            var tree = Grow(random, MaxInitialHeight);
            if (tree.UsesPrediction && tree.UsesLabel) return tree;
        }
    }

    /// <inheritdoc />
    public string? Key(LossExpression candidate) => candidate.ToString();

    /// <summary>A random tree of at most <paramref name="maxHeight"/> levels: below the top, a node is a leaf with
    /// probability 0.3 (always at the last level). Trees that miss an input are the caller's to refuse.</summary>
    public static LossExpression Grow(Random random, int maxHeight)
    {
        if (maxHeight <= 1 || random.NextDouble() < 0.3)
            return Leaf(random);
        var op = ExpressionOperators.All[random.Next(ExpressionOperators.All.Count)];
        var operands = new LossExpression[op.Arity];
        for (int i = 0; i < operands.Length; i++) operands[i] = Grow(random, maxHeight - 1);
        return LossExpression.Apply(op, operands);
    }

    /// <summary>A random leaf: a variable (p, z or y) with probability 0.8, else a constant.</summary>
    public static LossExpression Leaf(Random random) =>
        random.NextDouble() < 0.8
            ? LossExpression.Variables[random.Next(LossExpression.Variables.Count)]
            : LossExpression.Constant(Constants[random.Next(Constants.Count)]);
}
