using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.L2tDlf;

/// <summary>
/// The student state s_t that the L2T-DLF teacher mu_theta reads. It depends only on the number of
/// classes C, never on the student's architecture, so a trained teacher transfers to other students.
/// Layout (4 + C values, all of order 1):
/// <list type="number">
/// <item>[0] training progress t / T_total in [0, 1];</item>
/// <item>[1] the batch's cross-entropy -mean log p_y, divided by ln C (1 for an untrained student);</item>
/// <item>[2] a moving average (decay <see cref="MovingAverageDecay"/>) of that cross-entropy, divided by ln C;</item>
/// <item>[3] the batch accuracy;</item>
/// <item>[4 + c] for each class c, the mean log p_y over the batch's examples of class c, divided by ln C
/// (the batch's overall mean when class c is absent): how well each class is learned.</item>
/// </list>
/// </summary>
internal static class L2tDlfState
{
    /// <summary>Decay of the moving-average cross-entropy in s_t[2].</summary>
    public const double MovingAverageDecay = 0.9;

    /// <summary>Number of values in s_t for <paramref name="numberOfClasses"/> classes.</summary>
    public static int Size(int numberOfClasses) => 4 + numberOfClasses;

    /// <summary>Names of the values of s_t, in order (stored with a saved teacher).</summary>
    public static string[] Describe(int numberOfClasses) =>
        ["progress", "batch cross-entropy / ln C", "moving-average cross-entropy / ln C", "batch accuracy",
         .. Enumerable.Range(0, numberOfClasses).Select(c => $"mean log p_y of class {c} / ln C")];

    /// <summary>Computes s_t from the student's logits on the batch. Differentiable in the logits (except
    /// the accuracy), so an unrolled teacher episode can follow s_t's dependence on w_t; pass detached
    /// logits when no gradient should flow.</summary>
    /// <param name="logits">Student logits [B, C].</param>
    /// <param name="labels">Labels [B] (int64).</param>
    /// <param name="progress">t / T_total.</param>
    /// <param name="previousMovingLoss">The moving-average cross-entropy before this step (scalar tensor, same dtype).</param>
    /// <param name="movingLoss">The updated moving average (for the next step).</param>
    /// <returns>s_t, shape [4 + C], dtype of the logits.</returns>
    public static Tensor Compute(Tensor logits, Tensor labels, double progress, Tensor previousMovingLoss, out Tensor movingLoss)
    {
        using var scope = NewDisposeScope();
        int c = (int)logits.shape[1];
        double lnC = Math.Log(c);
        var logp = nn.functional.log_softmax(logits, 1);
        var logpY = logp.gather(1, labels.unsqueeze(1)).squeeze(1);           // [B]
        var ce = logpY.mean().neg();
        movingLoss = previousMovingLoss.mul(MovingAverageDecay).add(ce.mul(1 - MovingAverageDecay)).MoveToOuterDisposeScope();
        var accuracy = logits.argmax(1).eq(labels).to_type(logits.dtype).mean();
        var onehot = nn.functional.one_hot(labels, c).to_type(logits.dtype);   // [B, C]
        var counts = onehot.sum(dim: 0);                                             // [C]
        var sums = onehot.mul(logpY.unsqueeze(1)).sum(dim: 0);                       // [C]
        var perClass = where(counts.gt(0), sums.div(counts.clamp_min(1)), logpY.mean().expand(c));
        var head = stack([
            full([], progress, dtype: logits.dtype, device: logits.device),
            ce.div(lnC), movingLoss.div(lnC), accuracy]);
        return cat([head, perClass.div(lnC)], 0).MoveToOuterDisposeScope();
    }
}
