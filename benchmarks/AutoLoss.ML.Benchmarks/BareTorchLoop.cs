using AutoLoss;
using AutoLoss.Core.Students;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss.ML.Benchmarks;

/// <summary>
/// The reference the trainer's overhead is measured against: the shortest reasonable TorchSharp loop
/// training the same student (built by the same <see cref="StudentSpec"/>) with the same optimiser
/// (SGD, momentum) and batch size on the same data, already held as tensors. Per step: select the
/// shuffled batch, forward, mean cross-entropy, zero_grad, backward, step, read the loss.
/// </summary>
internal sealed class BareTorchLoop : IDisposable
{
    private readonly Tensor _features;
    private readonly Tensor _labels;
    private readonly int _featureCount;
    private readonly int _classCount;

    public BareTorchLoop(float[] features, int[] labels, int featureCount, int classCount)
    {
        _featureCount = featureCount;
        _classCount = classCount;
        _features = tensor(features, [labels.Length, featureCount]).DetachFromDisposeScope();
        _labels = tensor(Array.ConvertAll(labels, l => (long)l), [labels.Length]).DetachFromDisposeScope();
    }

    public int Rows => (int)_labels.shape[0];

    /// <summary>Trains a fresh student for <paramref name="epochs"/> epochs; returns the last epoch's mean loss.</summary>
    public double Train(StudentSpec spec, int epochs, int batchSize, double learningRate, double momentum, int seed,
        Action<nn.Module<Tensor, Tensor>>? inspectTrained = null)
    {
        random.manual_seed(seed);
        using var student = spec.Build(_featureCount, _classCount);
        using var optimizer = optim.SGD(student.parameters(), learningRate, momentum: momentum);
        student.train();
        int n = Rows;
        double lastEpochLoss = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            using var order = randperm(n);
            double sum = 0;
            for (int start = 0; start < n; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(batchSize, n - start);
                var index = order.narrow(0, start, count);
                var x = _features.index_select(0, index);
                var y = _labels.index_select(0, index);
                var loss = nn.functional.cross_entropy(student.forward(x), y);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                sum += loss.item<float>() * count;
            }
            lastEpochLoss = sum / n;
        }
        student.eval();
        inspectTrained?.Invoke(student);
        return lastEpochLoss;
    }

    public void Dispose()
    {
        _features.Dispose();
        _labels.Dispose();
    }
}
