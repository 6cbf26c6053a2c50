using System.Globalization;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// The third-order Taylor-polynomial loss family of TaylorGLO (Gonzalez and Miikkulainen), searched for label-noise
/// robustness by Gao et al. (ICCV 2021). With x = p_c (the class probability), y = y_c (the one-hot label), the
/// expansion centre (x0, y0) = (theta_0, theta_1) and u = x - x0, v = y - y0, the loss of a row is
/// <c>L = -sum_c [theta_2 u + theta_3 u^2 / 2 + theta_4 u^3 / 6 + theta_5 u v + theta_6 u^2 v / 2 + theta_7 u v^2 / 2]</c>:
/// the bivariate Taylor terms up to order 3 that involve the prediction (terms in y alone carry no gradient). Because
/// p is in [0, 1] the loss is bounded, the property that makes losses robust to flipped labels; the search finds the
/// shape. For example theta = (0, 0, 0, 0, 0, 1, 0, 0) is -p_y, the mean absolute error of the probabilities up to a
/// constant.
/// </summary>
public sealed class TaylorPolynomialLoss : IPerExampleLoss
{
    /// <summary>Number of parameters theta_0..theta_7.</summary>
    public const int ParameterCount = 8;

    private readonly ExpressionLoss _expression;

    /// <summary>The loss with parameters <paramref name="theta"/> (theta_0..theta_7, see the class summary).</summary>
    /// <exception cref="ArgumentException">Not 8 parameters, a parameter is not finite, or every coefficient
    /// theta_2..theta_7 is 0 (no loss at all).</exception>
    public TaylorPolynomialLoss(IReadOnlyList<double> theta)
    {
        ArgumentNullException.ThrowIfNull(theta);
        if (theta.Count != ParameterCount)
            throw new ArgumentException($"A third-order Taylor loss has {ParameterCount} parameters (x0, y0 and six coefficients); {theta.Count} were given.", nameof(theta));
        for (int i = 0; i < theta.Count; i++)
            if (!double.IsFinite(theta[i])) throw new ArgumentException($"theta[{i}] is {theta[i]}; every parameter must be a finite number.", nameof(theta));
        if (theta.Skip(2).All(t => t == 0))
            throw new ArgumentException("theta[2..7] are all 0: the polynomial has no term in the prediction. Set at least one coefficient.", nameof(theta));
        Parameters = theta.ToArray();
        Expression = LossExpression.Parse(ExpressionText(Parameters));
        _expression = new ExpressionLoss(Expression);
    }

    /// <summary>theta_0..theta_7.</summary>
    public IReadOnlyList<double> Parameters { get; }

    /// <summary>The same loss in the expression language (what a <see cref="SearchedLoss"/> records).</summary>
    public LossExpression Expression { get; }

    /// <inheritdoc />
    public string Name => $"Taylor polynomial ({string.Join(", ", Parameters.Select(t => t.ToString("G4", CultureInfo.InvariantCulture)))})";

    /// <inheritdoc />
    public void Validate(TrainingTask task, string optionName) => AutoLoss.Core.Losses.ClassificationLossCheck.Require(task, Name, optionName);

    /// <inheritdoc />
    public Tensor Compute(Tensor outputs, Tensor labels) => _expression.Compute(outputs, labels);

    /// <summary>The polynomial as expression text, coefficients folded (theta_3 / 2, theta_4 / 6, ...).</summary>
    private static string ExpressionText(IReadOnlyList<double> t)
    {
        static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        string u = $"(p - ({N(t[0])}))", v = $"(y - ({N(t[1])}))";
        var terms = new (double Coefficient, string Monomial)[]
        {
            (t[2], u), (t[3] / 2, $"square{u}"), (t[4] / 6, $"{u} * square{u}"),
            (t[5], $"{u} * {v}"), (t[6] / 2, $"square{u} * {v}"), (t[7] / 2, $"{u} * square{v}"),
        };
        var kept = terms.Where(term => term.Coefficient != 0).Select(term => $"({N(term.Coefficient)}) * {term.Monomial}");
        return $"-({string.Join(" + ", kept)})";
    }
}
