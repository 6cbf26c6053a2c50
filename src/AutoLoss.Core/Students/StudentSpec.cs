using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss.Core.Students;

/// <summary>
/// Describes a student architecture independently of its weights, so that the same description can
/// build a fresh network (for training, for another seed, for a teacher episode) or be saved beside
/// the weights and rebuild the network when a model is loaded.
/// </summary>
public abstract class StudentSpec
{
    /// <summary>Builds a freshly initialised network mapping <paramref name="inputSize"/> features to
    /// <paramref name="outputSize"/> logits. Initialisation draws from TorchSharp's global generator,
    /// so seed it (<c>torch.manual_seed</c>) first for reproducible weights.</summary>
    public abstract nn.Module<Tensor, Tensor> Build(int inputSize, int outputSize);

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending setting when the spec is unusable.</summary>
    /// <param name="optionName">Name of the option holding this spec, used in messages.</param>
    public abstract void Validate(string optionName);

    /// <summary>A short human-readable description, e.g. <c>MLP(500,300; Relu)</c>.</summary>
    public abstract override string ToString();

    /// <summary>Writes the spec (a type tag and its settings) so that <see cref="Read"/> can rebuild it.</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(TypeTag);
        WriteSettings(writer);
    }

    /// <summary>Reads a spec written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The stream holds an unknown architecture.</exception>
    public static StudentSpec Read(BinaryReader reader)
    {
        string tag = reader.ReadString();
        return tag switch
        {
            MlpSpec.Tag => MlpSpec.ReadSettings(reader),
            _ => throw new InvalidDataException($"Unknown student architecture '{tag}' in model file; it was written by a newer AutoLoss.ML version."),
        };
    }

    /// <summary>Identifies the concrete spec type in saved files.</summary>
    protected abstract string TypeTag { get; }

    /// <summary>Writes the concrete settings after the type tag.</summary>
    protected abstract void WriteSettings(BinaryWriter writer);
}
