using static TorchSharp.torch;

namespace AutoLoss.ML.Tests.Extensions;

/// <summary>A per-example loss defined in test code only: focal loss -(1 - p_y)^gamma log p_y (Lin et al. 2017),
/// counting its calls so a test can see the trainer used it.</summary>
internal sealed class FocalLoss(double gamma) : IPerExampleLoss
{
    private int _calls;

    public int Calls => _calls;

    public string Name => $"focal (gamma {gamma})";

    public void Validate(TrainingTask task, string optionName)
    {
        if (task is not ClassificationTask)
            throw new ArgumentException($"{optionName} is {Name}, a classification loss; a {task} task needs another loss.", optionName);
    }

    public Tensor Compute(Tensor outputs, Tensor labels)
    {
        Interlocked.Increment(ref _calls);
        using var logp = nn.functional.log_softmax(outputs, 1);
        using var logpy = logp.gather(1, labels.unsqueeze(1)).squeeze(1);
        using var py = logpy.exp();
        using var weight = py.neg().add(1).pow(gamma);
        using var weighted = weight.mul(logpy);
        return weighted.neg();
    }
}
