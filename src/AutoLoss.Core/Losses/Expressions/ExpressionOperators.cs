using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// The primitive operators of loss expressions (AutoLoss-Zero's elementary search space): add, sub, mul, div, neg,
/// abs, square, sqrt, log, exp, tanh, min, max. The partial ones are guarded so that every expression is finite on
/// every input: log(x) = log(max(|x|, eps)), sqrt(x) = sqrt(max(|x|, eps)), x / y divides by y pushed away from zero
/// to at least eps in magnitude, and exp clamps its argument at <see cref="MaxExponent"/>.
/// </summary>
public static class ExpressionOperators
{
    /// <summary>The smallest magnitude a guarded log, square root or divisor sees.</summary>
    public const double Epsilon = 1e-12;

    /// <summary>The largest argument exp takes (e^30 is about 1e13, far from float overflow).</summary>
    public const double MaxExponent = 30;

    /// <summary>a + b.</summary>
    public static ExpressionOperator Add { get; } = new("add", 2, (a, b) => a.add(b), "+", 1);

    /// <summary>a - b.</summary>
    public static ExpressionOperator Sub { get; } = new("sub", 2, (a, b) => a.sub(b), "-", 1);

    /// <summary>a * b.</summary>
    public static ExpressionOperator Mul { get; } = new("mul", 2, (a, b) => a.mul(b), "*", 2);

    /// <summary>a / b with |b| raised to at least <see cref="Epsilon"/> (keeping its sign; 0 counts as positive).</summary>
    public static ExpressionOperator Div { get; } = new("div", 2, GuardedDivide, "/", 2);

    /// <summary>-a.</summary>
    public static ExpressionOperator Neg { get; } = new("neg", 1, (a, _) => a.neg(), "-", 3);

    /// <summary>|a|.</summary>
    public static ExpressionOperator Abs { get; } = new("abs", 1, (a, _) => a.abs());

    /// <summary>a^2.</summary>
    public static ExpressionOperator Square { get; } = new("square", 1, (a, _) => a.square());

    /// <summary>sqrt(max(|a|, eps)).</summary>
    public static ExpressionOperator Sqrt { get; } = new("sqrt", 1, (a, _) => { using var m = a.abs().clamp_min(Epsilon); return m.sqrt(); });

    /// <summary>log(max(|a|, eps)).</summary>
    public static ExpressionOperator Log { get; } = new("log", 1, (a, _) => { using var m = a.abs().clamp_min(Epsilon); return m.log(); });

    /// <summary>exp(min(a, <see cref="MaxExponent"/>)).</summary>
    public static ExpressionOperator Exp { get; } = new("exp", 1, (a, _) => { using var c = a.clamp_max(MaxExponent); return c.exp(); });

    /// <summary>tanh(a).</summary>
    public static ExpressionOperator Tanh { get; } = new("tanh", 1, (a, _) => a.tanh());

    /// <summary>The elementwise minimum of a and b.</summary>
    public static ExpressionOperator Min { get; } = new("min", 2, (a, b) => a.minimum(b));

    /// <summary>The elementwise maximum of a and b.</summary>
    public static ExpressionOperator Max { get; } = new("max", 2, (a, b) => a.maximum(b));

    /// <summary>Every operator, in a fixed order (searches draw from this list, so the order is part of a seed's meaning).</summary>
    public static IReadOnlyList<ExpressionOperator> All { get; } = [Add, Sub, Mul, Div, Neg, Abs, Square, Sqrt, Log, Exp, Tanh, Min, Max];

    /// <summary>The operator called <paramref name="name"/>, or null.</summary>
    public static ExpressionOperator? Find(string name) => All.FirstOrDefault(o => o.Name == name);

    private static Tensor GuardedDivide(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        // sign(b) is 0 at 0; treat 0 as positive so the divisor becomes +eps there.
        var sign = b.sign().add(b.eq(0).to_type(b.dtype));
        var safe = b.abs().clamp_min(Epsilon).mul(sign);
        return a.div(safe).MoveToOuterDisposeScope();
    }
}
