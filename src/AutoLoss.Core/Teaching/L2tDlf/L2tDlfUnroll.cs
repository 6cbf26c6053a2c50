using AutoLoss.Core.Losses;
using AutoLoss.Core.Optimization;
using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.L2tDlf;

/// <summary>One training batch of an unrolled teacher episode: D_train^t with its progress t/T_total and step size eta_t.</summary>
/// <param name="Features">Features [B, F].</param>
/// <param name="Labels">Labels [B] (int64).</param>
/// <param name="Progress">Training progress of the step, fed to s_t.</param>
/// <param name="LearningRate">eta_t of the inner SGD step.</param>
internal sealed record L2tDlfBatch(Tensor Features, Tensor Labels, double Progress, double LearningRate);

/// <summary>
/// The teacher's objective and its gradient (Wu et al., NeurIPS 2018, Algorithm 1). Starting from
/// student weights w_0 it unrolls T SGD steps w_{t+1} = w_t - eta_t dL_{mu_theta(s_t)}(f_{w_t}, D_train^t)/dw_t,
/// keeping the graph, and evaluates the smoothed dev metric M~(f_{w_T}, D_dev). Back-propagating M~ to
/// theta through the kept graph is exactly the reverse-mode recursion of Algorithm 1 (dw_t and dtheta
/// via Hessian-vector products), done by autograd. The inner gradient holds Phi_t fixed (as the real
/// student step does); the hypergradient is the total derivative, including how s_t depends on w_t.
/// </summary>
internal static class L2tDlfUnroll
{
    /// <summary>M~(f_{w_T}, D_dev) after unrolling <paramref name="batches"/> from <paramref name="initialWeights"/>;
    /// a scalar whose graph reaches theta. All tensors must share a device and dtype (int64 labels).</summary>
    /// <param name="teacher">mu_theta.</param>
    /// <param name="student">The student's architecture (functional forward).</param>
    /// <param name="initialWeights">w_0 in <see cref="IFunctionalStudent.ParameterShapes"/> order; copied, not modified.</param>
    /// <param name="batches">D_train^0 .. D_train^{T-1}.</param>
    /// <param name="initialMovingLoss">Moving-average cross-entropy before the first step (s_t[2]).</param>
    /// <param name="devFeatures">Dev batch features.</param>
    /// <param name="devLabels">Dev batch labels.</param>
    /// <param name="cost">Cost matrix [C, C] of the task metric m (row = true class).</param>
    /// <param name="cancellationToken">Checked before every unrolled step.</param>
    public static Tensor DevMetric(L2tDlfTeacherModel teacher, IFunctionalStudent student, IReadOnlyList<Tensor> initialWeights,
        IReadOnlyList<L2tDlfBatch> batches, double initialMovingLoss, Tensor devFeatures, Tensor devLabels, Tensor cost,
        CancellationToken cancellationToken = default)
    {
        if (batches.Count == 0) throw new ArgumentException("Unrolling needs at least one training batch.", nameof(batches));
        var dtype = teacher.DType;
        int c = teacher.NumberOfClasses;
        foreach (var b in batches) CheckBatch(b.Features, b.Labels, dtype, "training batch");
        CheckBatch(devFeatures, devLabels, dtype, "dev batch");
        if (cost.dtype != dtype || cost.dim() != 2 || cost.shape[0] != c || cost.shape[1] != c)
            throw new ArgumentException($"The cost matrix must be {c} x {c} of {dtype}.", nameof(cost));
        foreach (var w0 in initialWeights)
            if (w0.dtype != dtype) throw new ArgumentException($"Student weights are {w0.dtype}, theta is {dtype}; use one dtype.", nameof(initialWeights));

        var unrollBatches = batches.Select(b => new UnrollBatch(b.Features, b.Labels, b.LearningRate)).ToList();
        using var initialMoving = full([], initialMovingLoss, dtype: dtype, device: devFeatures.device);
        var moving = initialMoving;
        return DifferentiableUnroll.Run(student, initialWeights, unrollBatches,
            (logits, lossLogits, batch, t) =>
            {
                if (logits.shape[1] != c)
                    throw new ArgumentException($"The student outputs {logits.shape[1]} classes but the teacher is for {c}.", nameof(student));
                // s_t reads `logits`; the loss reads the view, so that dL/d(lossLogits) holds Phi_t fixed.
                var state = L2tDlfState.Compute(logits, batch.Labels, batches[t].Progress, moving, out var nextMoving);
                moving = nextMoving;
                var (phi, bias) = teacher.Forward(state);
                return LossReduction.Mean(ParametricLoss.PerExample(lossLogits, batch.Labels, phi, bias), weights: null);
            },
            w => SmoothedMetric.PerExample(student.Forward(devFeatures, w, training: false), devLabels, cost).mean(),
            cancellationToken);
    }

    /// <summary>dM~/dtheta for the same unrolled episode as <see cref="DevMetric"/> (one tensor per
    /// parameter of <see cref="L2tDlfTeacherModel.Parameters"/>), and the value of M~.</summary>
    public static (Tensor[] Gradient, double DevMetric) Hypergradient(L2tDlfTeacherModel teacher, IFunctionalStudent student, IReadOnlyList<Tensor> initialWeights,
        IReadOnlyList<L2tDlfBatch> batches, double initialMovingLoss, Tensor devFeatures, Tensor devLabels, Tensor cost,
        CancellationToken cancellationToken = default)
    {
        using var metric = DevMetric(teacher, student, initialWeights, batches, initialMovingLoss, devFeatures, devLabels, cost, cancellationToken);
        var theta = teacher.Parameters().Cast<Tensor>().ToList();
        var grads = AutogradGuard.Grad(metric, theta, createGraph: false, retainGraph: false);
        return (grads, metric.to_type(ScalarType.Float64).item<double>());
    }

    private static void CheckBatch(Tensor x, Tensor y, ScalarType dtype, string what)
    {
        if (x.dim() != 2 || y.dim() != 1 || x.shape[0] != y.shape[0] || x.shape[0] == 0)
            throw new ArgumentException($"A {what} must be features [B, F] and labels [B] with B > 0; got [{string.Join(",", x.shape)}] and [{string.Join(",", y.shape)}].");
        if (x.dtype != dtype) throw new ArgumentException($"A {what} has {x.dtype} features but theta is {dtype}.");
        if (y.dtype != ScalarType.Int64) throw new ArgumentException($"A {what} has {y.dtype} labels; int64 class indices are needed.");
    }
}
