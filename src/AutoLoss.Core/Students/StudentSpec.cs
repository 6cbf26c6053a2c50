using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss;

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

    /// <summary>Reads a spec written by <see cref="Write"/>, with the reader <see cref="StudentSpecRegistry"/> holds for
    /// its type tag.</summary>
    /// <exception cref="InvalidDataException">The stream holds an architecture no reader is registered for.</exception>
    public static StudentSpec Read(BinaryReader reader) => StudentSpecRegistry.Read(reader.ReadString(), reader);

    /// <summary>The shape one row's features have for this student, e.g. [channels, height, width] for a CNN; null
    /// (default) for a flat vector of any length.</summary>
    public virtual IReadOnlyList<int>? InputShape => null;

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="optionName"/>, both numbers and the fix
    /// when <paramref name="featureCount"/> features cannot feed this student (<see cref="InputShape"/>'s product).</summary>
    public virtual void ValidateInput(int featureCount, string optionName)
    {
        if (InputShape is not { } shape) return;
        long expected = shape.Aggregate(1L, (a, b) => a * b);
        if (expected != featureCount)
            throw new ArgumentException(
                $"{optionName} {this} takes rows of shape [{string.Join(", ", shape)}] ({expected} values), but the feature column has {featureCount}; " +
                "set the spec's input shape to the data's, or resize the features (e.g. mlContext.Transforms.ResizeImages).", optionName);
    }

    /// <summary>Identifies the concrete spec type in saved files; <see cref="StudentSpecRegistry"/> maps it back to
    /// the type's reader.</summary>
    protected abstract string TypeTag { get; }

    /// <summary>Writes the concrete settings after the type tag.</summary>
    protected abstract void WriteSettings(BinaryWriter writer);
}
