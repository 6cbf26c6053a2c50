namespace AutoLoss.ML.Export;

/// <summary>The ONNX writer of each exportable student architecture; a new built-in student adds its writer here.</summary>
internal static class OnnxStudentWriters
{
    private static readonly Dictionary<Type, IOnnxStudentWriter> Writers = new()
    {
        [typeof(MlpSpec)] = new MlpOnnxWriter(),
        [typeof(ConvNetSpec)] = new ConvNetOnnxWriter(),
    };

    /// <summary>The writer for <paramref name="spec"/>.</summary>
    /// <exception cref="NotSupportedException">The architecture has no ONNX writer (e.g. a user's own TorchSharp
    /// module, whose forward pass is arbitrary code); the message names it.</exception>
    public static IOnnxStudentWriter For(StudentSpec spec) =>
        Writers.TryGetValue(spec.GetType(), out var writer)
            ? writer
            : throw new NotSupportedException(
                $"The student {spec} cannot be exported to ONNX: only the built-in architectures ({string.Join(", ", Writers.Keys.Select(t => t.Name))}) " +
                "have an ONNX form. A TorchModuleSpec's forward pass is your own code; export that module with your own tooling, or train a built-in student.");
}
