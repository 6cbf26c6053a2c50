using AutoLoss.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss.ML.Tests.Images;

/// <summary>The convolutional student: its layout, its functional form, its checks and its saved description.</summary>
[TestClass]
public sealed class ConvNetSpecTests
{
    /// <summary>A small spec with every kind of block: plain conv with pooling, residual with batch norm and a
    /// projection shortcut, and a dense head.</summary>
    private static ConvNetSpec Small() => new()
    {
        Channels = 1,
        Height = 6,
        Width = 6,
        Blocks =
        [
            new() { Channels = 2, Pooling = Pooling.Max },
            new() { Channels = 3, BatchNorm = true, Residual = true },
        ],
        HeadSizes = [4],
    };

    [TestMethod]
    public void LeNet5IsTheDefaultAndHasLeNetsLayerShapes()
    {
        var spec = new ConvNetSpec();
        var shapes = spec.ParameterShapes(784, 10).Select(s => string.Join("x", s)).ToList();
        CollectionAssert.AreEqual(new[] { "6x1x5x5", "6", "16x6x5x5", "16", "120x400", "120", "84x120", "84", "10x84", "10" }, shapes);
        CollectionAssert.AreEqual(new[] { 1, 28, 28 }, spec.InputShape!.ToArray());
        Assert.AreEqual(spec.ToString(), ConvNetSpec.LeNet5().ToString());
    }

    [TestMethod]
    public void TheBuiltNetworksParametersLineUpWithTheFunctionalFormAndGiveTheSameOutputs()
    {
        foreach (var spec in new[] { Small(), ConvNetSpec.ResNet8(channels: 3, height: 8, width: 8) })
        {
            int inputs = spec.InputShape!.Aggregate(1, (a, b) => a * b);
            using var module = TorchSeeding.Run(1, () => spec.Build(inputs, 5));
            var parameters = module.parameters().ToList();
            CollectionAssert.AreEqual(spec.ParameterShapes(inputs, 5).Select(s => string.Join("x", s)).ToList(),
                parameters.Select(p => string.Join("x", p.shape)).ToList(), spec.ToString());
            using var x = randn(4, inputs, generator: new Generator(2));
            module.train();   // batch norm on the batch's statistics, as the functional form
            using var expected = module.forward(x);
            using var actual = spec.Forward(x, parameters, training: true);
            CollectionAssert.AreEqual(new long[] { 4, 5 }, actual.shape);
            Assert.IsTrue(expected.allclose(actual, rtol: 1e-5, atol: 1e-6), spec.ToString());
        }
    }

    [TestMethod]
    public void BatchNormKeepsRunningStatisticsThatTheEvaluationModeUses()
    {
        var spec = Small();
        using var module = TorchSeeding.Run(1, () => spec.Build(36, 3));
        var before = module.buffers().Select(b => b.clone()).ToList();
        using var x = randn(8, 36, generator: new Generator(4)).mul(3).add(1);
        module.train();
        module.forward(x).Dispose();
        Assert.IsFalse(module.buffers().Zip(before).All(p => p.First.allclose(p.Second, 0, 0)), "a training forward updates the running statistics");
        module.eval();
        using var a = module.forward(x.narrow(0, 0, 1));
        using var b = module.forward(x);
        Assert.IsTrue(a.allclose(b.narrow(0, 0, 1), rtol: 1e-5, atol: 1e-6), "in evaluation a row scores the same alone or in a batch");
    }

    [TestMethod]
    public void TheHypergradientThroughAnUnrolledCnnMatchesFiniteDifferences() =>
        HypergradientCheck.AssertMatchesFiniteDifferences(Small(), inputSize: 36);

    [TestMethod]
    public void AnImageTooSmallForTheBlocksIsRefusedNamingTheBlockAndTheSizes()
    {
        var spec = ConvNetSpec.LeNet5(height: 8, width: 8);
        var e = Assert.ThrowsExactly<ArgumentException>(() => spec.Validate("Student"));
        StringAssert.Contains(e.Message, "Student.Blocks[1]");
        StringAssert.Contains(e.Message, "4x4");
        StringAssert.Contains(e.Message, "ResizeImages");
    }

    [TestMethod]
    public void FeaturesOfTheWrongLengthAreRefusedNamingBothNumbers()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new ConvNetSpec().ValidateInput(1024, "Student"));
        StringAssert.Contains(e.Message, "784");
        StringAssert.Contains(e.Message, "1024");
    }

    [TestMethod]
    public void UnusableBlockSettingsAreRefusedNamingTheBlock()
    {
        void Refused(ConvBlock block, string part)
        {
            var spec = new ConvNetSpec { Blocks = [block] };
            var e = Assert.Throws<ArgumentException>(() => spec.Validate("Student"), part);
            StringAssert.Contains(e.Message, "Student.Blocks[0]");
            StringAssert.Contains(e.Message, part);
        }
        Refused(new ConvBlock { Channels = 0 }, "Channels");
        Refused(new ConvBlock { Channels = 4, KernelSize = 4, Residual = true }, "odd kernel");
        Refused(new ConvBlock { Channels = 4, Padding = 0, Residual = true }, "Padding");
        Refused(new ConvBlock { Channels = 4, Dropout = 1 }, "Dropout");
        Refused(new ConvBlock { Channels = 4, Stride = 0 }, "Stride");
    }

    [TestMethod]
    public void TheSavedDescriptionRebuildsTheSameArchitecture()
    {
        foreach (var spec in new StudentSpec[] { new ConvNetSpec { HeadDropout = 0.25, Activation = Activation.Gelu }, ConvNetSpec.ResNet8(), Small() })
        {
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) spec.Write(writer);
            stream.Position = 0;
            using var reader = new BinaryReader(stream);
            var read = StudentSpec.Read(reader);
            Assert.IsInstanceOfType<ConvNetSpec>(read);
            Assert.AreEqual(spec.ToString(), read.ToString());
        }
    }
}
