using TorchSharp;
using static TorchSharp.torch;

namespace GanSchedule;

/// <summary>
/// A small fully connected GAN for 28 x 28 digits: generator G(z) (64 -> 256 -> 512 -> 784, sigmoid pixels in [0, 1])
/// and discriminator D(x) (784 -> 512 -> 256 -> 1 logit), each with its own Adam (lr 1e-3 by default, beta1 0.5). One call of
/// <see cref="StepDiscriminator"/> or <see cref="StepGenerator"/> is one optimiser step of that player: the schedule
/// decides which player steps, which is what AutoLoss's controller learns.
/// </summary>
internal sealed class Gan : IDisposable
{
    public const int NoiseSize = 64;
    private readonly nn.Module<Tensor, Tensor> _generator, _discriminator;
    private readonly optim.Optimizer _generatorOptimizer, _discriminatorOptimizer;
    private readonly Tensor _real;
    private readonly Random _random;
    private readonly int _batch;

    public Gan(float[] images, int count, int seed, double learningRate = 1e-3, int batch = 64)
    {
        random.manual_seed(seed);
        _random = new Random(seed);
        _batch = batch;
        _generator = nn.Sequential(nn.Linear(NoiseSize, 256), nn.LeakyReLU(0.2), nn.Linear(256, 512), nn.LeakyReLU(0.2), nn.Linear(512, 784), nn.Sigmoid());
        _discriminator = nn.Sequential(nn.Linear(784, 512), nn.LeakyReLU(0.2), nn.Linear(512, 256), nn.LeakyReLU(0.2), nn.Linear(256, 1));
        _generatorOptimizer = optim.Adam(_generator.parameters(), lr: learningRate, beta1: 0.5, beta2: 0.999);
        _discriminatorOptimizer = optim.Adam(_discriminator.parameters(), lr: learningRate, beta1: 0.5, beta2: 0.999);
        _real = tensor(images, [count, 784]);
    }

    /// <summary>One discriminator step on a real and a generated batch; returns its loss
    /// BCE(D(x), 1) + BCE(D(G(z)), 0).</summary>
    public double StepDiscriminator()
    {
        using var scope = NewDisposeScope();
        var real = _real.index_select(0, RandomRows());
        Tensor fake;
        using (no_grad()) fake = _generator.forward(randn(_batch, NoiseSize));
        var realLogits = _discriminator.forward(real);
        var fakeLogits = _discriminator.forward(fake);
        var loss = nn.functional.binary_cross_entropy_with_logits(realLogits, ones_like(realLogits))
                 + nn.functional.binary_cross_entropy_with_logits(fakeLogits, zeros_like(fakeLogits));
        _discriminatorOptimizer.zero_grad();
        loss.backward();
        _discriminatorOptimizer.step();
        return loss.item<float>();
    }

    /// <summary>One generator step with the non-saturating loss BCE(D(G(z)), 1); returns it.</summary>
    public double StepGenerator()
    {
        using var scope = NewDisposeScope();
        var logits = _discriminator.forward(_generator.forward(randn(_batch, NoiseSize)));
        var loss = nn.functional.binary_cross_entropy_with_logits(logits, ones_like(logits));
        _generatorOptimizer.zero_grad();
        loss.backward();
        _generatorOptimizer.step();
        return loss.item<float>();
    }

    /// <summary>n generated images, row-major 784 pixels each.</summary>
    public float[] Sample(int n, int seed)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new torch.Generator((ulong)seed);
        return _generator.forward(randn([n, NoiseSize], generator: generator)).data<float>().ToArray();
    }

    private Tensor RandomRows()
    {
        var rows = new long[_batch];
        for (int i = 0; i < _batch; i++) rows[i] = _random.NextInt64(_real.shape[0]);
        return tensor(rows);
    }

    public void Dispose()
    {
        _real.Dispose();
        _generatorOptimizer.Dispose();
        _discriminatorOptimizer.Dispose();
        _generator.Dispose();
        _discriminator.Dispose();
    }
}
