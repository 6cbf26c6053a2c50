using static TorchSharp.torch;

namespace AutoLoss.Core.Losses;

/// <summary>Squared error (f_w(x) - y)^2 of a one-output regression student: the regression task loss.</summary>
public static class SquaredError
{
    /// <summary>Per-example squared error for predictions [B, 1] and targets [B] of the same floating
    /// type; returns [B]. Shapes and types are checked here, before anything reaches libtorch.</summary>
    /// <exception cref="ArgumentException">Predictions are not [B, 1], or targets are not [B] of the predictions' type.</exception>
    public static Tensor PerExample(Tensor predictions, Tensor targets)
    {
        if (predictions.dim() != 2 || predictions.shape[1] != 1)
            throw new ArgumentException($"Squared error needs predictions of shape [B, 1] (a one-output student); they are [{string.Join(", ", predictions.shape)}].", nameof(predictions));
        if (targets.dim() != 1 || targets.shape[0] != predictions.shape[0])
            throw new ArgumentException($"Squared error needs targets of shape [{predictions.shape[0]}]; they are [{string.Join(", ", targets.shape)}].", nameof(targets));
        if (targets.dtype != predictions.dtype)
            throw new ArgumentException($"Squared error needs {predictions.dtype} targets like the predictions; they are {targets.dtype} (class indices cannot be regression targets).", nameof(targets));
        using var flat = predictions.squeeze(1);
        using var difference = flat.sub(targets);
        return difference.square();
    }
}
