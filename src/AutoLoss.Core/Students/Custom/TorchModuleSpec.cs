using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// A student that is your own TorchSharp module, built by the factory registered under <see cref="Name"/> in
/// <see cref="TorchModuleRegistry"/>. Every loss method that needs only the module (cross-entropy, the Phi family, ALA,
/// AutoLoss schedules, a frozen L2T-DLF teacher) teaches it; learning an L2T-DLF teacher needs a functional student
/// (<see cref="IFunctionalStudent"/>). A built module is checked on a probe batch before training: it must map
/// [2, inputs] features to [2, outputs] float32 values and have trainable parameters.
/// </summary>
public sealed class TorchModuleSpec : StudentSpec
{
    internal const string Tag = "torch-module";
    private readonly int[]? _inputShape;

    /// <summary>A student built by the factory registered as <paramref name="name"/>.</summary>
    /// <param name="name">The factory's name in <see cref="TorchModuleRegistry"/>.</param>
    /// <param name="inputShape">The shape one row's features have (e.g. [channels, height, width]), checked against the
    /// feature column's length before training; null (default) for a flat vector of any length.</param>
    public TorchModuleSpec(string name, IReadOnlyList<int>? inputShape = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _inputShape = inputShape?.ToArray();
    }

    /// <summary>The registered factory's name, saved with the model.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public override IReadOnlyList<int>? InputShape => _inputShape;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The factory is not registered, or its module fails the probe batch.</exception>
    public override nn.Module<Tensor, Tensor> Build(int inputSize, int outputSize)
    {
        Validate("Student");
        var module = TorchModuleRegistry.Find(Name)!(inputSize, outputSize)
            ?? throw new ArgumentException($"The student module factory '{Name}' returned null.", "Student");
        try
        {
            Probe(module, inputSize, outputSize);
            return module;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override void Validate(string optionName)
    {
        if (!TorchModuleRegistry.IsRegistered(Name))
            throw new ArgumentException(
                $"{optionName} names the student module '{Name}', which is not registered; call TorchModuleRegistry.Register(\"{Name}\", factory) first.", optionName);
        if (_inputShape is { } shape && (shape.Length == 0 || shape.Any(d => d <= 0)))
            throw new ArgumentException($"{optionName} input shape [{string.Join(", ", shape)}] needs at least one dimension, all positive.", optionName);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"TorchModule({Name}{(_inputShape is null ? "" : $"; {string.Join("x", _inputShape)}")})";

    /// <inheritdoc />
    protected override string TypeTag => Tag;

    /// <inheritdoc />
    protected override void WriteSettings(BinaryWriter writer)
    {
        writer.Write(Name);
        writer.Write(_inputShape?.Length ?? -1);
        foreach (int d in _inputShape ?? []) writer.Write(d);
    }

    internal static TorchModuleSpec ReadSettings(BinaryReader reader)
    {
        string name = reader.ReadString();
        int n = reader.ReadInt32();
        if (n is < -1 or > 16) throw new InvalidDataException($"Corrupt student module description: {n} input dimensions.");
        int[]? shape = n < 0 ? null : Enumerable.Range(0, n).Select(_ => reader.ReadInt32()).ToArray();
        if (!TorchModuleRegistry.IsRegistered(name))
            throw new InvalidDataException(
                $"The model's student is the module '{name}', whose factory is not registered in this process; call " +
                $"TorchModuleRegistry.Register(\"{name}\", factory) with the factory it was trained with before loading the model.");
        return new TorchModuleSpec(name, shape);
    }

    /// <summary>One no-grad evaluation-mode forward of two zero rows: the output must be [2, outputs] float32.</summary>
    private void Probe(nn.Module<Tensor, Tensor> module, int inputSize, int outputSize)
    {
        if (!module.parameters().Any(p => p.requires_grad))
            throw new ArgumentException($"The student module '{Name}' has no trainable parameters.", "Student");
        bool training = module.training;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        module.eval();
        Tensor output;
        try
        {
            output = module.forward(zeros(2, inputSize));
        }
        catch (ExternalException e)
        {
            throw new ArgumentException($"The student module '{Name}' failed on a [2, {inputSize}] batch of features: {e.Message}", "Student", e);
        }
        finally
        {
            module.train(training);
        }
        if (output.dim() != 2 || output.shape[0] != 2 || output.shape[1] != outputSize)
            throw new ArgumentException(
                $"The student module '{Name}' maps [2, {inputSize}] features to [{string.Join(", ", output.shape)}]; the task needs [2, {outputSize}] " +
                $"({outputSize} output{(outputSize == 1 ? "" : "s")} per row). Make the factory's last layer produce outputSize values.", "Student");
        if (output.dtype != ScalarType.Float32)
            throw new ArgumentException($"The student module '{Name}' outputs {output.dtype}; it must output float32.", "Student");
    }
}
