using AutoLoss.Core.Teaching;
using static TorchSharp.torch;

namespace AutoLoss.Core.Losses.Embedding;

/// <summary>
/// The teacher of <see cref="MarginLossOptions"/>: the margin loss with beta a learnable scalar. The training loop's
/// backward pass fills beta's gradient with the student's; after every step beta takes one SGD step and stays within
/// (alpha, 2 - alpha), where both margins stay inside the distances' range [0, 2]. Every student starts from the initial beta.
/// </summary>
internal sealed class MarginBoundaryTeacher(MarginLossOptions options) : ILossTeacher
{
    private readonly MarginLoss _margin = new(options.Alpha, options.InitialBoundary);
    private TeachingContext _context = null!;
    private Tensor? _beta;

    /// <summary>beta now.</summary>
    public double Boundary => _beta is null ? options.InitialBoundary : _beta.item<float>();

    public void Begin(TeachingContext context) => _context = context;

    public void BeginStudent(StudentRun run)
    {
        _beta?.Dispose();
        _beta = full(1, options.InitialBoundary, device: _context.Device).requires_grad_(options.BoundaryLearningRate > 0).DetachFromDisposeScope();
    }

    public Tensor ComputeLoss(StudentState state)
    {
        using var scope = NewDisposeScope();
        var (_, positive, negative, pairs) = _margin.PairLosses(state.Logits, state.Labels, boundary: _beta!.squeeze());
        return LossReduction.Mean(MarginLoss.Reduce(positive, negative, pairs), state.Weights).MoveToOuterDisposeScope();
    }

    public void AfterStep(StepOutcome outcome)
    {
        if (options.BoundaryLearningRate == 0) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (_beta!.grad is not { } grad) return;
        _beta.sub_(grad.mul(options.BoundaryLearningRate)).clamp_(options.Alpha, 2 - options.Alpha);
        grad.zero_();
    }

    public void AfterEpoch(EpochSummary summary)
    {
        double beta = Boundary;
        _context.Log($"Margin loss: beta {beta:F4} after epoch {summary.Epoch + 1}.");
        options.OnBoundaryChanged(summary.Epoch, beta);
    }

    public void Dispose() => _beta?.Dispose();
}
