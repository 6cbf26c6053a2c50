using AutoLoss.ML.Scoring;
using Onnx;

namespace AutoLoss.ML.Export;

/// <summary>
/// A fitted AdaptiveLoss model as an ONNX model: input <c>FeatureColumnName</c> [N, F] float; the student's forward
/// pass (<see cref="IOnnxStudentWriter"/>); the scorer's outputs (softmax probabilities, the regression prediction
/// with the label standardisation folded in, or the L2-normalised embedding); then the model's own output columns under their ML.NET names.
/// </summary>
internal static class OnnxExport
{
    public static ModelProto Build(AdaptiveLossTransformerBase model, IOutputColumns columns)
    {
        var scorer = model.Scorer;
        var writer = OnnxStudentWriters.For(scorer.Spec);   // refuses an architecture without an ONNX form
        var graph = new OnnxGraphBuilder();
        string features = graph.Input(model.FeatureColumnName, TensorProto.Types.DataType.Float, "N", scorer.FeatureCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        string logits = writer.Write(graph, scorer.Spec, scorer.Student, features, scorer.FeatureCount, scorer.OutputSize);
        string outputs = scorer.Regression is { } scaling
            ? graph.Node("Add", [graph.Node("Mul", [graph.Node("Reshape", [logits, graph.Int64s("rows", -1)], "standardized"), graph.Floats("label_scale", [scaling.Scale])], "scaled"),
                                 graph.Floats("label_mean", [scaling.Mean])], "prediction")
            : scorer.Task is EmbeddingTask
                ? graph.Node("LpNormalization", [logits], "embedding", OnnxGraphBuilder.Int("axis", 1), OnnxGraphBuilder.Int("p", 2))
                : graph.Node("Softmax", [logits], "probabilities", OnnxGraphBuilder.Int("axis", 1));
        columns.WriteOnnx(graph, outputs);
        return graph.Model($"{model.GetType().Name}: {scorer.Spec}, {scorer.FeatureCount} features -> {scorer.OutputSize} outputs. Exported by AutoLoss.ML.");
    }
}
