using AutoLoss.ML.Data;

namespace AutoLoss.ML.Scoring;

/// <summary>
/// What the scoring views (<see cref="ScoredDataView"/>, <see cref="ScoringRowMapper"/>) need from a model: how to read a
/// row's input column, how many outputs a row gets, a batched prediction, and shared ownership (every mapper holds a
/// share; the last release frees the model). A trained student (<see cref="StudentScorer"/>) is one; a nearest-reference
/// classifier over embeddings is another.
/// </summary>
internal interface IBatchScorer
{
    /// <summary>Floats per input row as <see cref="CreateRowWriter"/> writes it.</summary>
    int RowWidth { get; }

    /// <summary>Outputs per row.</summary>
    int OutputSize { get; }

    /// <summary>A writer that turns the input column's values into one row of <see cref="RowWidth"/> floats.</summary>
    FeatureRowWriter CreateRowWriter();

    /// <summary>Scores <paramref name="rows"/> rows of <paramref name="features"/> into <paramref name="outputs"/> (row-major).</summary>
    void Predict(float[] features, int rows, Span<float> outputs);

    /// <summary>Takes one more share of the model.</summary>
    void AddHolder();

    /// <summary>Gives back one share; returns true when that freed the model.</summary>
    bool Release();
}
