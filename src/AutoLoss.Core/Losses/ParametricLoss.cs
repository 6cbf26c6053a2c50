using static TorchSharp.torch;

namespace AutoLoss.Core.Losses;

/// <summary>
/// The Phi-parametric loss family shared by L2T-DLF and ALA:
/// l_Phi(f_w(x), y) = -sigmoid(y^T Phi log p + b), with p = softmax(f_w(x)), y one-hot, Phi a C x C matrix.
/// Row y of Phi weighs the log-probabilities of every class when the true class is y; Phi = I
/// rewards log p_y alone (a bounded cousin of cross-entropy), off-diagonal entries reward or
/// penalise mass on specific confusions.
/// </summary>
public static class ParametricLoss
{
    /// <summary>Phi_0 for a learned loss: <paramref name="given"/> (C x C, already validated) when set, else
    /// <paramref name="diagonal"/> (default 1: the identity) on the diagonal and <paramref name="offDiagonal"/> off it.</summary>
    public static double[,] StartingPhi(int classes, float[,]? given, double offDiagonal, double diagonal = 1)
    {
        var phi = new double[classes, classes];
        for (int i = 0; i < classes; i++)
            for (int j = 0; j < classes; j++)
                phi[i, j] = given?[i, j] ?? (i == j ? diagonal : offDiagonal);
        return phi;
    }

    /// <summary>The s for which s x l_Phi (with the centring bias b_y = ln C x row sum of Phi) gives log p_y the
    /// weight cross-entropy gives it, 1, at an untrained student's p = 1/C, averaged over the true classes y. There
    /// the sigmoid's argument is 0 and its slope 1/4, so s = 4 / mean_y Phi(y, y). With a small diagonal, s x l_Phi
    /// then behaves like cross-entropy near the start of training and keeps most of its weight on badly classified
    /// rows.</summary>
    public static double CrossEntropyMatchedScale(double[,] phi)
    {
        int classes = phi.GetLength(0);
        double diagonal = 0;
        for (int y = 0; y < classes; y++) diagonal += phi[y, y] / classes;
        return 4 / diagonal;
    }

    /// <summary>Per-example l_Phi for logits [B, C], int64 labels [B], Phi [C, C] and an optional
    /// scalar bias b (a tensor, so that a teacher's output can carry gradients); returns [B].</summary>
    public static Tensor PerExample(Tensor logits, Tensor labels, Tensor phi, Tensor? bias = null)
    {
        using var logp = nn.functional.log_softmax(logits, 1);
        using var phiRows = phi.index_select(0, labels);           // Phi[y_i, :]
        using var product = phiRows.mul(logp);
        using var score = product.sum(1);                          // y^T Phi log p
        using var shifted = bias is null ? score.alias() : score.add(bias);
        using var s = shifted.sigmoid();
        return s.neg();
    }
}
