using AutoLoss.ML.Data;
using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.ML.Persistence;

/// <summary>The student part of a model entry: its architecture, then a length-prefixed block of its
/// weights in TorchSharp's state-dict format. Shared by every model serializer.</summary>
internal static class StudentWeights
{
    public static void Write(BinaryWriter writer, StudentSpec spec, nn.Module<Tensor, Tensor> student)
    {
        spec.Write(writer);
        using var weights = new MemoryStream();
        using (var weightWriter = new BinaryWriter(weights, System.Text.Encoding.UTF8, leaveOpen: true))
            student.save(weightWriter);
        writer.Write(weights.Length);
        writer.Write(weights.GetBuffer(), 0, (int)weights.Length);
    }

    /// <summary>Reads the architecture and weights and builds the network for a feature column of
    /// <paramref name="featureCount"/> values (its input rows: those values, or a sparse student's pairs) and
    /// <paramref name="outputSize"/> outputs, as the trainer built it.</summary>
    /// <exception cref="InvalidDataException">The entry is corrupt or the weights do not fit the architecture.</exception>
    public static (StudentSpec Spec, nn.Module<Tensor, Tensor> Student) Read(BinaryReader reader, int featureCount, int outputSize)
    {
        var spec = StudentSpec.Read(reader);
        int inputSize = FeatureRowWriter.Width(featureCount, FeatureRowWriter.MaxNonZeroOf(spec));
        long length = reader.ReadInt64();
        if (length <= 0 || length > reader.BaseStream.Length) throw new InvalidDataException("Corrupt model entry: bad weight block length.");
        var weights = reader.ReadBytes((int)length);
        if (weights.Length != length) throw new InvalidDataException("Corrupt model entry: truncated weights.");

        TorchRuntime.EnsureLoaded();
        nn.Module<Tensor, Tensor> student;
        try
        {
            student = spec.Build(inputSize, outputSize);
        }
        catch (ArgumentException e)
        {
            // e.g. a user's module factory registered under the saved name now builds another architecture
            throw new InvalidDataException($"The model's student {spec} cannot be rebuilt for {inputSize} inputs and {outputSize} outputs: " + e.Message, e);
        }
        try
        {
            using var weightReader = new BinaryReader(new MemoryStream(weights));
            student.load(weightReader);
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            student.Dispose();
            throw new InvalidDataException("The model's weights do not match its recorded architecture: " + e.Message, e);
        }
        return (spec, student);
    }
}
