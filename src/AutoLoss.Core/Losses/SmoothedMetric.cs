using static TorchSharp.torch;

namespace AutoLoss.Core.Losses;

/// <summary>
/// The smoothed task metric of L2T-DLF (Wu et al., NeurIPS 2018):
/// m~(f_w(x), y) = sum_{y*} m(y*, y) p_w(y*|x), the expected cost of the student's prediction under its own
/// output distribution. Unlike the 0-1 error it is differentiable in w, so a teacher can follow
/// dM~/dtheta through the student's training. Lower is better (it is a cost).
/// </summary>
public static class SmoothedMetric
{
    /// <summary>Per-example m~ for logits [B, C], int64 labels [B] and a cost matrix [C, C] whose row is
    /// the true class y and column the predicted class y* (cost[y, y*] = m(y*, y)); returns [B].</summary>
    public static Tensor PerExample(Tensor logits, Tensor labels, Tensor cost)
    {
        using var p = nn.functional.softmax(logits, 1);
        using var rows = cost.index_select(0, labels);
        using var product = rows.mul(p);
        return product.sum(1);
    }

    /// <summary>The 0-1 cost m(y*, y) = 1 - I[y* = y] as a row-major C x C array (the default task metric:
    /// m~ is then 1 - p_y, the expected error).</summary>
    public static float[,] ZeroOneCost(int numberOfClasses)
    {
        var cost = new float[numberOfClasses, numberOfClasses];
        for (int i = 0; i < numberOfClasses; i++)
            for (int j = 0; j < numberOfClasses; j++)
                cost[i, j] = i == j ? 0f : 1f;
        return cost;
    }

    /// <summary>Checks a user cost matrix: exactly C x C, finite, non-negative. Throws
    /// <see cref="ArgumentException"/> naming <paramref name="optionName"/>.</summary>
    public static void Validate(float[,] cost, int numberOfClasses, string optionName)
    {
        if (cost.GetLength(0) != numberOfClasses || cost.GetLength(1) != numberOfClasses)
            throw new ArgumentException(
                $"{optionName} is {cost.GetLength(0)} x {cost.GetLength(1)} but the label has {numberOfClasses} classes; give a " +
                $"{numberOfClasses} x {numberOfClasses} matrix (row = true class, column = predicted class, in key order).", optionName);
        foreach (float v in cost)
            if (!float.IsFinite(v) || v < 0)
                throw new ArgumentException($"{optionName} contains {v}; every cost must be finite and >= 0.", optionName);
    }
}
