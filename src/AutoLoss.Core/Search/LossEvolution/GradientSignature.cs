using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace AutoLoss.Core.Search.LossEvolution;

/// <summary>
/// AutoLoss-Zero's gradient-equivalence check: two losses whose gradients with respect to the logits agree on a fixed
/// random probe train a student the same way, so the second needs no training run of its own. The signature is a hash
/// of those gradients rounded to four significant digits (losses differing by a constant, or written differently, get
/// the same signature; losses differing by a scale factor do not).
/// </summary>
public sealed class GradientSignature
{
    private readonly int _rows, _seed;

    /// <summary>A probe of <paramref name="rows"/> random rows seeded by <paramref name="seed"/>.</summary>
    public GradientSignature(int rows = 32, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        _rows = rows;
        _seed = seed;
    }

    /// <summary>The signature of <paramref name="loss"/> for <paramref name="classes"/> classes; null when its gradient
    /// on the probe is not finite (such a loss is not compared).</summary>
    public string? Of(IPerExampleLoss loss, int classes)
    {
        ArgumentNullException.ThrowIfNull(loss);
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)_seed + 7919);
        var logits = randn([_rows, classes], generator: generator).requires_grad_(true);
        var labels = randint(0, classes, [_rows], generator: generator);
        var gradient = autograd.grad([loss.Compute(logits, labels).sum()], [logits], allow_unused: true)[0];
        if (gradient is null || gradient.IsInvalid) return "zero";
        if (!gradient.isfinite().all().item<bool>()) return null;
        var text = new StringBuilder();
        foreach (float g in gradient.data<float>())
            text.Append((Math.Abs(g) < 1e-7f ? 0f : g).ToString("G4", System.Globalization.CultureInfo.InvariantCulture)).Append(',');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
