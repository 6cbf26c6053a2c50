using static TorchSharp.torch;

namespace AutoLoss.Core.Optimization;

/// <summary>One training batch of an unrolled optimisation: D_train^t and the step size eta_t of its SGD step.</summary>
/// <param name="Features">Features [B, F].</param>
/// <param name="Labels">Labels [B].</param>
/// <param name="LearningRate">eta_t.</param>
public sealed record UnrollBatch(Tensor Features, Tensor Labels, double LearningRate);

/// <summary>The inner loss of unrolled step <paramref name="step"/>. It may read <paramref name="outputs"/> (e.g. to
/// compute a teacher's state s_t from them) and must compute the loss from <paramref name="lossOutputs"/>, a view of the
/// same values: the step's gradient is taken through the view, so whatever the loss's own parameters depend on (a
/// teacher's output) is held fixed in the inner gradient, as in the real student step, while the hypergradient still
/// follows it.</summary>
public delegate Tensor UnrollLoss(Tensor outputs, Tensor lossOutputs, UnrollBatch batch, int step);

/// <summary>
/// T differentiable SGD steps of any <see cref="IFunctionalStudent"/>: w_{t+1} = w_t - eta_t dL_t(f(x_t; w_t), y_t)/dw_t,
/// keeping the graph, then the outer objective M(w_T). Back-propagating M to whatever the inner losses depend on
/// (a teacher's theta, a loss controller's parameters) is reverse-mode differentiation through the unrolled steps
/// (Hessian-vector products done by autograd; seed 002, Algorithm 1), for any student, with the inner loss and the outer
/// objective as arguments. Memory grows with T: the caller bounds it.
/// </summary>
public static class DifferentiableUnroll
{
    /// <summary>M(w_T) after unrolling <paramref name="batches"/> from <paramref name="initialWeights"/> (copied, not
    /// modified): a scalar whose graph reaches every tensor the inner losses and the objective used.</summary>
    /// <param name="student">The student's functional form.</param>
    /// <param name="initialWeights">w_0 in <see cref="IFunctionalStudent.ParameterShapes"/> order.</param>
    /// <param name="batches">D_train^0 .. D_train^{T-1}.</param>
    /// <param name="innerLoss">L_t, a scalar (see <see cref="UnrollLoss"/>).</param>
    /// <param name="outerObjective">M(w_T) from the final weights, a scalar.</param>
    /// <param name="cancellationToken">Checked before every unrolled step.</param>
    /// <exception cref="ArgumentException">No batches, or a loss or objective that is not a scalar.</exception>
    public static Tensor Run(IFunctionalStudent student, IReadOnlyList<Tensor> initialWeights, IReadOnlyList<UnrollBatch> batches,
        UnrollLoss innerLoss, Func<IReadOnlyList<Tensor>, Tensor> outerObjective, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(student);
        if (batches.Count == 0) throw new ArgumentException("Unrolling needs at least one training batch.", nameof(batches));
        if (initialWeights.Count == 0) throw new ArgumentException("Unrolling needs the student's weights.", nameof(initialWeights));

        using var scope = NewDisposeScope();
        IReadOnlyList<Tensor> w = initialWeights.Select(p => p.detach().clone().requires_grad_(true)).ToList();
        for (int t = 0; t < batches.Count; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = batches[t];
            var outputs = student.Forward(batch.Features, w, training: true);
            var lossOutputs = outputs.view(outputs.shape);
            var loss = innerLoss(outputs, lossOutputs, batch, t);
            if (loss.numel() != 1) throw new ArgumentException($"The inner loss of step {t} has shape [{string.Join(",", loss.shape)}]; it must be a scalar.", nameof(innerLoss));
            var dOutputs = AutogradGuard.Grad(loss, [lossOutputs], createGraph: true, retainGraph: true)[0];
            var grads = AutogradGuard.Grad(outputs, w, createGraph: true, retainGraph: true, gradOutput: dOutputs);
            w = w.Zip(grads, (wi, gi) => wi.sub(gi.mul(batch.LearningRate))).ToList();
        }
        var objective = outerObjective(w);
        if (objective.numel() != 1) throw new ArgumentException($"The outer objective has shape [{string.Join(",", objective.shape)}]; it must be a scalar.", nameof(outerObjective));
        return objective.MoveToOuterDisposeScope();
    }

    /// <summary>Estimated bytes an unroll keeps alive per student step: the weights w_t, their gradient with its graph
    /// and the saved tensors of the double backward (about 4 x the parameter count), plus the activations of the batch
    /// (about 6 x batch x <see cref="IFunctionalStudent.ActivationsPerRow"/>) and the input.</summary>
    public static long EstimateBytesPerStep(IFunctionalStudent student, int featureCount, int outputSize, int batchSize, int elementSize = 4)
    {
        long parameters = student.ParameterShapes(featureCount, outputSize).Sum(s => s.Aggregate(1L, (a, b) => a * b));
        return elementSize * (4 * parameters + 6L * batchSize * student.ActivationsPerRow(featureCount, outputSize) + (long)batchSize * featureCount);
    }
}
