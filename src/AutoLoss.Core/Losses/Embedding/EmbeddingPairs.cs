using static TorchSharp.torch;

namespace AutoLoss.Core.Losses.Embedding;

/// <summary>The pieces the embedding losses share: distances d(i, j) = ||f(x_i) - f(x_j)|| of the L2-normalised
/// embeddings of a batch [B, B] (in [0, 2]), and which pairs are positive (same label, not the row itself) or negative.</summary>
internal readonly record struct EmbeddingPairs(Tensor Distances, Tensor Positive, Tensor Negative)
{
    public static EmbeddingPairs Of(Tensor outputs, Tensor labels)
    {
        var x = nn.functional.normalize(outputs, p: 2, dim: 1);
        // ||a - b||^2 = 2 - 2 a.b for unit vectors; the floor keeps sqrt's gradient finite for identical rows.
        var distances = x.matmul(x.t()).mul(-2).add(2).clamp_min(1e-6).sqrt();
        var same = labels.unsqueeze(1).eq(labels.unsqueeze(0));
        var self = eye(labels.shape[0], dtype: ScalarType.Bool, device: labels.device);
        return new EmbeddingPairs(distances, same.logical_and(self.logical_not()), same.logical_not());
    }

    /// <summary>Throws the refusal an embedding loss gives a task that is not an <see cref="EmbeddingTask"/>.</summary>
    public static void Require(TrainingTask task, string lossName, string optionName)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task is not EmbeddingTask)
            throw new ArgumentException(
                $"{optionName} is {lossName}, a loss over embedding distances; it cannot train a {task} student. Use an EmbeddingTask (metric learning), " +
                $"or set {optionName} to {task.CreateDefaultLoss()} (the {task} default).", optionName);
    }
}
