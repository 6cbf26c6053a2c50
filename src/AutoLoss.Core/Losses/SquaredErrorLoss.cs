using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>Squared error (f_w(x) - y)^2 of a one-output regression student: the regression task loss.</summary>
public sealed class SquaredErrorLoss : IPerExampleLoss
{
    /// <summary>The shared instance (the loss holds no state).</summary>
    public static SquaredErrorLoss Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "squared error";

    /// <inheritdoc />
    public void Validate(TrainingTask task, string optionName)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task is not RegressionTask)
            throw new ArgumentException(
                $"{optionName} is squared error, a regression loss; a {task} student needs a loss for its task: " +
                $"set {optionName} to {task.CreateDefaultLoss()} (the default) or another {task} loss.", optionName);
    }

    /// <summary>Per-example squared error for predictions [B, 1] and targets [B] of the same floating type; returns
    /// [B]. Shapes and types are checked here, before anything reaches libtorch.</summary>
    /// <exception cref="ArgumentException">Predictions are not [B, 1], or targets are not [B] of the predictions' type.</exception>
    public Tensor Compute(Tensor outputs, Tensor labels)
    {
        if (outputs.dim() != 2 || outputs.shape[1] != 1)
            throw new ArgumentException($"Squared error needs predictions of shape [B, 1] (a one-output student); they are [{string.Join(", ", outputs.shape)}].", nameof(outputs));
        if (labels.dim() != 1 || labels.shape[0] != outputs.shape[0])
            throw new ArgumentException($"Squared error needs targets of shape [{outputs.shape[0]}]; they are [{string.Join(", ", labels.shape)}].", nameof(labels));
        if (labels.dtype != outputs.dtype)
            throw new ArgumentException($"Squared error needs {outputs.dtype} targets like the predictions; they are {labels.dtype} (class indices cannot be regression targets).", nameof(labels));
        using var flat = outputs.squeeze(1);
        using var difference = flat.sub(labels);
        return difference.square();
    }
}
