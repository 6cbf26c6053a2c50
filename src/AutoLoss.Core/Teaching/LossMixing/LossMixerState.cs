using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.LossMixing;

/// <summary>
/// The per-example state the loss controller reads (seed 003: the candidates' values, the prediction and the label):
/// s_i = [sign(l_ik) log(1 + |l_ik|) for k = 1..K, p_i (the C class probabilities), y_i (one-hot)], detached from the
/// student's graph. The log keeps large losses of confidently wrong examples from dominating the controller's input.
/// </summary>
internal static class LossMixerState
{
    /// <summary>K + 2C.</summary>
    public static int Size(int candidates, int classes) => candidates + 2 * classes;

    /// <summary>Names of the state's entries, saved with a controller so a different layout is refused on load.</summary>
    public static IReadOnlyList<string> Describe(IReadOnlyList<string> candidates, int classes) =>
        [.. candidates.Select(c => $"log1p {c}"), .. Enumerable.Range(0, classes).Select(c => $"p_{c}"), .. Enumerable.Range(0, classes).Select(c => $"y_{c}")];

    /// <summary>s [B, K + 2C] from the candidates' values [B, K], the logits [B, C] and the labels [B] (all detached).</summary>
    public static Tensor Compute(Tensor values, Tensor logits, Tensor labels, int classes)
    {
        using var scope = NewDisposeScope();
        var v = values.detach();
        var squashed = v.sign().mul(v.abs().log1p());
        var p = nn.functional.softmax(logits.detach(), 1);
        var y = nn.functional.one_hot(labels, classes).to_type(p.dtype);
        return cat([squashed.to_type(p.dtype), p, y], 1).MoveToOuterDisposeScope();
    }
}
