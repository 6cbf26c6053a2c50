using AutoLoss.Core.Data;
using static TorchSharp.torch;

namespace AutoLoss.Core.Training;

/// <summary>Accuracy and log-loss of a student on a cached dataset, computed in chunks without graph.</summary>
public static class ValidationMetrics
{
    /// <summary>Evaluates <paramref name="student"/> on <paramref name="data"/>; returns (accuracy, mean -log p_y).</summary>
    public static (double Accuracy, double LogLoss) Evaluate(nn.Module<Tensor, Tensor> student, InMemoryDataset data, int chunkSize = 2048)
    {
        bool wasTraining = student.training;
        student.eval();
        try
        {
            using var noGrad = no_grad();
            double correct = 0, logLoss = 0;
            for (long start = 0; start < data.Count; start += chunkSize)
            {
                using var scope = NewDisposeScope();
                long length = Math.Min(chunkSize, data.Count - start);
                var x = data.Features.narrow(0, start, length);
                var y = data.Labels.narrow(0, start, length);
                var logp = nn.functional.log_softmax(student.forward(x), 1);
                correct += logp.argmax(1).eq(y).sum().item<long>();
                logLoss -= logp.gather(1, y.unsqueeze(1)).sum().item<float>();
            }
            return (correct / data.Count, logLoss / data.Count);
        }
        finally
        {
            student.train(wasTraining);
        }
    }
}
