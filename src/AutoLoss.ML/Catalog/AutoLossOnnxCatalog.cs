using AutoLoss;
using AutoLoss.Core.IO;
using Google.Protobuf;

namespace Microsoft.ML;

/// <summary>
/// Export of a fitted AdaptiveLoss model's student to ONNX, so that a service can score it with ONNX Runtime (or
/// ML.NET's <c>ApplyOnnxModel</c>) without TorchSharp or libtorch. ML.NET's own <c>ConvertToOnnx</c> cannot export
/// third-party transformers.
/// </summary>
/// <remarks>
/// The ONNX model (opset 17) has one input named after the model's features column (<c>Features</c> by default),
/// float [N, F], and the outputs the model appends in ML.NET, under the same names:
/// <list type="bullet">
/// <item>multiclass: <c>Score</c> float [N, C] (class probabilities, in key order) and <c>PredictedLabel</c> int64 [N]
/// (the key: 1 + the class index, as ML.NET's key-typed column) and, when the label had key values (MapValueToKey),
/// <c>PredictedLabelValue</c> string [N] (the label's value as invariant text, what MapKeyToValue gives);</item>
/// <item>binary: <c>Score</c> float [N] (the margin log p1 - log p0), <c>Probability</c> float [N] and
/// <c>PredictedLabel</c> bool [N];</item>
/// <item>regression: <c>Score</c> float [N], in label units (the label standardisation is folded in).</item>
/// </list>
/// Built-in students export (<see cref="MlpSpec"/>, <see cref="ConvNetSpec"/>); a <see cref="TorchModuleSpec"/>, whose
/// forward pass is arbitrary code, is refused with a <see cref="NotSupportedException"/> naming it.
/// </remarks>
public static class AutoLossOnnxCatalog
{
    /// <summary>Writes <paramref name="model"/>'s student and output columns as an ONNX model to <paramref name="stream"/>.
    /// For a fitted pipeline pass its AdaptiveLoss transformer (e.g. <c>chain.LastTransformer</c>); the transforms
    /// before it (key mapping, image loading, normalisation) are not part of the export.</summary>
    /// <exception cref="NotSupportedException">The student has no ONNX form.</exception>
    public static void ExportToOnnx(this ModelOperationsCatalog catalog, AdaptiveLossTransformerBase model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        model.ToOnnx().WriteTo(stream);
    }

    /// <summary>Writes the ONNX model to <paramref name="filePath"/>, all at once: when the export fails no file is left
    /// and an existing one is unchanged.</summary>
    /// <exception cref="NotSupportedException">The student has no ONNX form.</exception>
    public static void ExportToOnnx(this ModelOperationsCatalog catalog, AdaptiveLossTransformerBase model, string filePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        ArgumentNullException.ThrowIfNull(model);
        var onnx = model.ToOnnx();   // fails before the disk is touched
        AtomicFile.Write(filePath, onnx.WriteTo);
    }
}
