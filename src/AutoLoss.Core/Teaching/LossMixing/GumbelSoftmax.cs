using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.LossMixing;

/// <summary>The Gumbel-softmax relaxation (Jang et al. 2017) of a categorical choice among K losses:
/// w = softmax((alpha + g) / tau) with g = -log(-log u), u ~ U(0, 1), differentiable in alpha.</summary>
internal static class GumbelSoftmax
{
    /// <summary>w [B, K] for logits alpha [B, K] at temperature tau, with noise from <paramref name="generator"/>.</summary>
    public static Tensor Sample(Tensor alpha, double temperature, Generator generator)
    {
        using var scope = NewDisposeScope();
        // u in [1e-10, 1 - 1e-10] keeps both logarithms finite.
        var u = rand(alpha.shape, dtype: alpha.dtype, generator: generator).to(alpha.device).clamp(1e-10, 1 - 1e-10);
        var g = u.log().neg().log().neg();
        return nn.functional.softmax(alpha.add(g).div(temperature), 1).MoveToOuterDisposeScope();
    }

    /// <summary>tau at training progress in [0, 1]: geometric from <paramref name="initial"/> to <paramref name="final"/>.</summary>
    public static double Temperature(double initial, double final, double progress) =>
        initial * Math.Pow(final / initial, Math.Clamp(progress, 0, 1));
}
