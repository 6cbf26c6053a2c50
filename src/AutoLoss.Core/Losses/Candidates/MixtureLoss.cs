using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// A fixed weighted sum of per-example losses, L = sum_k w_k l_k: the starting point a learned per-example mixture
/// (<see cref="LossMixingOptions"/>) is compared with (equal weights 1/K is its uniform mix). It does not own its
/// losses: the caller disposes those that hold native memory.
/// </summary>
public sealed class MixtureLoss : IPerExampleLoss
{
    private readonly IPerExampleLoss[] _losses;
    private readonly double[] _weights;

    /// <param name="terms">The losses and their weights (finite, >= 0, not all 0).</param>
    /// <exception cref="ArgumentException">No terms, a null loss, or a weight that is negative or not finite, or all weights 0.</exception>
    public MixtureLoss(params (IPerExampleLoss Loss, double Weight)[] terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Length == 0) throw new ArgumentException("A mixture needs at least one loss.", nameof(terms));
        if (terms.Any(t => t.Loss is null)) throw new ArgumentException("A mixture term has no loss.", nameof(terms));
        if (terms.Any(t => !(t.Weight >= 0) || !double.IsFinite(t.Weight)))
            throw new ArgumentException("Every mixture weight must be finite and >= 0.", nameof(terms));
        if (terms.All(t => t.Weight == 0)) throw new ArgumentException("All mixture weights are 0; at least one loss must count.", nameof(terms));
        _losses = terms.Select(t => t.Loss).ToArray();
        _weights = terms.Select(t => t.Weight).ToArray();
    }

    /// <summary>The losses, in order.</summary>
    public IReadOnlyList<IPerExampleLoss> Losses => _losses;

    /// <summary>The weights, in the order of <see cref="Losses"/>.</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <inheritdoc />
    public string Name => string.Join(" + ", _losses.Zip(_weights, (l, w) => $"{w:G3} {l.Name}"));

    /// <inheritdoc />
    public void Validate(TrainingTask task, string optionName)
    {
        foreach (var loss in _losses) loss.Validate(task, optionName);
    }

    /// <inheritdoc />
    public Tensor Compute(Tensor outputs, Tensor labels)
    {
        using var scope = NewDisposeScope();
        Tensor? sum = null;
        for (int k = 0; k < _losses.Length; k++)
        {
            if (_weights[k] == 0) continue;
            var term = _losses[k].Compute(outputs, labels).mul(_weights[k]);
            sum = sum is null ? term : sum.add(term);
        }
        return sum!.MoveToOuterDisposeScope();
    }
}
