using AutoLoss.ML.Export;
using Microsoft.ML;

namespace AutoLoss.ML.Scoring;

/// <summary>Supplies the current row's student outputs (probabilities or a regression prediction).</summary>
internal delegate ReadOnlySpan<float> RowOutputs();

/// <summary>The columns a fitted model appends to its input, shaped like ML.NET's built-in trainers of
/// the same task, and how each is read from a row's student outputs. Batch scoring
/// (<see cref="ScoredDataView"/>) and row scoring (<see cref="ScoringRowMapper"/>) share it.</summary>
internal interface IOutputColumns
{
    /// <summary>The input schema followed by the output columns (hiding input columns of the same names).</summary>
    DataViewSchema Append(DataViewSchema input);

    /// <summary>Getter of output column <paramref name="outputIndex"/> (0-based among the appended
    /// columns), reading the current row's outputs from <paramref name="outputs"/>.</summary>
    ValueGetter<TValue> Getter<TValue>(int outputIndex, RowOutputs outputs);

    /// <summary>Writes the same columns as ONNX graph outputs of the same names, computed from the value
    /// <paramref name="outputs"/>: the student outputs these columns read ([N, C] probabilities, or the [N] prediction).</summary>
    void WriteOnnx(OnnxGraphBuilder graph, string outputs);
}
