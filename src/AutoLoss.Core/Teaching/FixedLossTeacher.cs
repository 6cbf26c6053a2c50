using AutoLoss.Core.Losses;
using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching;

/// <summary>A teacher that never changes its mind: the same per-example loss at every step
/// (cross-entropy, or the parametric loss with a constant Phi), reduced with example weights.</summary>
public sealed class FixedLossTeacher : ILossTeacher
{
    private readonly Func<StudentState, Tensor> _perExample;
    private readonly Action? _release;

    /// <summary>Creates the teacher.</summary>
    /// <param name="name">Name used in logs.</param>
    /// <param name="perExample">Per-example loss [B] of a step's state.</param>
    /// <param name="release">Frees tensors the loss holds (called on dispose).</param>
    public FixedLossTeacher(string name, Func<StudentState, Tensor> perExample, Action? release = null)
    {
        Name = name;
        _perExample = perExample;
        _release = release;
    }

    /// <summary>Name used in logs.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public void Begin(TeachingContext context) { }

    /// <inheritdoc />
    public Tensor ComputeLoss(StudentState state)
    {
        using var perExample = _perExample(state);
        return LossReduction.Mean(perExample, state.Weights);
    }

    /// <inheritdoc />
    public void AfterStep(StepOutcome outcome) { }

    /// <inheritdoc />
    public void AfterEpoch(EpochSummary summary) { }

    /// <inheritdoc />
    public void Dispose() => _release?.Invoke();
}
