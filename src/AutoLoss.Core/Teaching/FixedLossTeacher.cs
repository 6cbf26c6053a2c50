using AutoLoss.Core.Losses;
using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching;

/// <summary>A teacher that never changes its mind: the same per-example loss at every step, reduced with the example
/// weights by <see cref="LossReduction.Mean"/>. Disposes the loss when it is <see cref="IDisposable"/>.</summary>
public sealed class FixedLossTeacher : ILossTeacher
{
    private readonly IPerExampleLoss _loss;

    /// <summary>A teacher for <paramref name="loss"/> (which it then owns).</summary>
    public FixedLossTeacher(IPerExampleLoss loss) => _loss = loss ?? throw new ArgumentNullException(nameof(loss));

    /// <summary>Name used in logs.</summary>
    public string Name => _loss.Name;

    /// <inheritdoc />
    public void Begin(TeachingContext context) { }

    /// <inheritdoc />
    public Tensor ComputeLoss(StudentState state)
    {
        using var perExample = _loss.Compute(state.Logits, state.Labels);
        if (perExample.dim() != 1 || perExample.shape[0] != state.Labels.shape[0])
            throw new InvalidOperationException(
                $"Loss '{_loss.Name}' returned a tensor of shape [{string.Join(", ", perExample.shape)}]; a per-example loss returns one value per row, [{state.Labels.shape[0]}].");
        return LossReduction.Mean(perExample, state.Weights);
    }

    /// <inheritdoc />
    public void AfterStep(StepOutcome outcome) { }

    /// <inheritdoc />
    public void AfterEpoch(EpochSummary summary) { }

    /// <inheritdoc />
    public void Dispose() => (_loss as IDisposable)?.Dispose();
}
