using AutoLoss.Core.Losses;
using AutoLoss.Core.Students;
using AutoLoss.Core.Training;
using AutoLoss.ML.Catalog;
using Microsoft.ML;
using static TorchSharp.torch;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class CoreTests
{
    [TestMethod]
    public void TorchSharpLoadsThroughTheNativeFix()
    {
        TorchRuntime.EnsureLoaded();
        using var a = tensor(new float[] { 1, 2, 3 });
        Assert.AreEqual(6f, a.sum().item<float>());
    }

    [TestMethod]
    public void ParametricLossMatchesAHandComputation()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 1f, 2f, 0.5f, 0f, -1f, 3f }, [2, 3]);
        var labels = tensor(new long[] { 1, 2 });
        var phi = tensor(new float[] { 1, 0, 0, 0.5f, 2f, 0, 0, -1f, 1 }, [3, 3]);
        var bias = tensor(0.3f);
        var loss = ParametricLoss.PerExample(logits, labels, phi, bias).data<float>().ToArray();

        double[] LogSoftmax(double[] z) { double m = z.Max(), s = z.Sum(v => Math.Exp(v - m)); return z.Select(v => v - m - Math.Log(s)).ToArray(); }
        double Expected(double[] z, int y, double[] phiRow) { var lp = LogSoftmax(z); double dot = phiRow.Zip(lp).Sum(p => p.First * p.Second) + 0.3; return -1 / (1 + Math.Exp(-dot)); }
        Assert.AreEqual(Expected([1, 2, 0.5], 1, [0.5, 2, 0]), loss[0], 1e-6);
        Assert.AreEqual(Expected([0, -1, 3], 2, [0, -1, 1]), loss[1], 1e-6);
    }

    [TestMethod]
    public void WeightedMeanWeighsExamples()
    {
        using var scope = NewDisposeScope();
        var perExample = tensor(new float[] { 1, 3 });
        Assert.AreEqual(2f, LossReduction.Mean(perExample, null).item<float>(), 1e-6);
        Assert.AreEqual(2.5f, LossReduction.Mean(perExample, tensor(new float[] { 1, 3 })).item<float>(), 1e-6);
    }

    [TestMethod]
    public void ManagedSingleRowForwardMatchesTorchSharpForEveryExactActivation()
    {
        foreach (var spec in new[]
        {
            new MlpSpec { HiddenSizes = [13, 7], Activation = Activation.Relu },
            new MlpSpec { HiddenSizes = [9], Activation = Activation.Tanh },
            new MlpSpec { HiddenSizes = [9], Activation = Activation.Sigmoid },
            new MlpSpec { HiddenSizes = [9], Activation = Activation.LeakyRelu, Dropout = 0.5 },
            new MlpSpec { HiddenSizes = [] },
        })
        {
            random.manual_seed(11);
            using var network = spec.Build(21, 4);
            network.eval();
            var managed = ManagedMlp.TryCreate(spec, network)!;
            var x = Enumerable.Range(0, 21).Select(i => MathF.Sin(i * 0.7f) * 3).ToArray();
            var expected = nn.functional.softmax(network.forward(tensor(x, [1, 21])), 1).data<float>().ToArray();
            var actual = new float[4];
            managed.PredictProbabilities(x, actual);
            for (int c = 0; c < 4; c++) Assert.AreEqual(expected[c], actual[c], 1e-5, $"{spec}, class {c}");
        }
        Assert.IsNull(ManagedMlp.TryCreate(new MlpSpec { Activation = Activation.Gelu }, new MlpSpec { Activation = Activation.Gelu, HiddenSizes = [3] }.Build(2, 2)),
            "GELU has no exact managed form: TorchSharp scores it");
    }

    [TestMethod]
    public void MlNetInternalsAreStillReachable()
    {
        var ml = new MLContext(seed: 5);
        Assert.IsNotNull(MlNetInternals.TryGetEnvironment(ml.MulticlassClassification.Trainers), "catalog environment moved: update MlNetInternals");
        Assert.IsTrue(MlNetInternals.CanCreateSchemaShape, "SchemaShape.Create moved: update MlNetInternals");
        var host = new TrainingHost(ml.MulticlassClassification.Trainers, "test");
        Assert.IsTrue(host.IsConnected);
        Assert.AreEqual(new TrainingHost(new MLContext(seed: 5).MulticlassClassification.Trainers, "test").NextSeed(null), host.NextSeed(null), "seeds follow the MLContext seed");
    }

    [TestMethod]
    public void UnreachableContextFallsBackToTheDocumentedSeed()
    {
        var host = new TrainingHost(new object(), "test");
        Assert.IsFalse(host.IsConnected);
        Assert.AreEqual(TrainingHost.FallbackSeed, host.NextSeed(null));
        Assert.AreEqual(9, host.NextSeed(9));
        host.Info("no listener: must not throw");
    }
}
