using AutoLoss.Core.Optimization;
using static TorchSharp.torch;

namespace AutoLoss.ML.Tests;

/// <summary>Checks the general unroll's hypergradient through a functional student against central finite differences,
/// in double precision.</summary>
internal static class HypergradientCheck
{
    /// <summary>The inner loss weighs each class's cross-entropy by exp(theta_y), so d(dev loss)/d(theta) needs the
    /// second-order terms through every unrolled step; asserts autograd's gradient equals the finite differences.</summary>
    public static void AssertMatchesFiniteDifferences(IFunctionalStudent spec, int inputSize, int seed = 3)
    {
        const int Classes = 3;
        var generator = new Random(seed);
        Tensor Random(params long[] shape)
        {
            var values = new double[shape.Aggregate(1L, (a, b) => a * b)];
            for (int i = 0; i < values.Length; i++) values[i] = generator.NextDouble() - 0.5;
            return tensor(values, shape);
        }
        var weights = spec.ParameterShapes(inputSize, Classes).Select(s => Random(s)).ToList();
        var batches = Enumerable.Range(0, 3).Select(t => new UnrollBatch(Random(6, inputSize), tensor(new long[] { 0, 1, 2, 0, 1, 2 }), 0.5)).ToList();
        var devX = Random(8, inputSize);
        var devY = tensor(new long[] { 2, 1, 0, 2, 1, 0, 1, 2 });
        Tensor DevLoss(Tensor theta) => DifferentiableUnroll.Run(spec, weights, batches,
            (outputs, lossOutputs, batch, t) =>
            {
                var perExample = CrossEntropyLoss.Instance.Compute(lossOutputs, batch.Labels);
                return perExample.mul(theta.exp().index_select(0, batch.Labels)).mean();
            },
            w => CrossEntropyLoss.Instance.Compute(spec.Forward(devX, w, training: false), devY).mean());

        var theta = tensor(new double[] { 0.1, -0.2, 0.3 }).requires_grad_(true);
        using var value = DevLoss(theta);
        var gradient = AutogradGuard.Grad(value, [theta], createGraph: false, retainGraph: false)[0].data<double>().ToArray();
        for (int i = 0; i < Classes; i++)
        {
            double h = 1e-5;
            using var plus = theta.detach().clone();
            using var minus = theta.detach().clone();
            plus[i] += h;
            minus[i] -= h;
            using var up = DevLoss(plus);      // the unroll needs autograd for its inner steps, so no no_grad here
            using var down = DevLoss(minus);
            double numeric = (up.item<double>() - down.item<double>()) / (2 * h);
            Assert.AreEqual(numeric, gradient[i], 1e-6 + 1e-4 * Math.Abs(numeric), $"d(dev loss)/d(theta_{i})");
            Assert.AreNotEqual(0.0, gradient[i], "the inner loss's parameter reaches the dev loss only through the unrolled steps");
        }
    }
}
