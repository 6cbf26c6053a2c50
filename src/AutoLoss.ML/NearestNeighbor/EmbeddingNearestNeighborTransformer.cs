using AutoLoss.ML.Data;
using AutoLoss.ML.NearestNeighbor;
using AutoLoss.ML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss;

/// <summary>
/// Few-shot classification by the nearest reference embeddings: <c>Transform</c> appends <c>Score</c> (per class, the
/// highest cosine similarity between the row's embedding and a reference of that class; -2 for a class without
/// references) and <c>PredictedLabel</c> (the majority class of the <see cref="NumberOfNeighbors"/> nearest references, a
/// tie going to the class with the nearest reference; a key of the reference label's type, with its key values), like a
/// multiclass model, so <c>MulticlassClassification.Evaluate</c> gives its accuracies (not its log-losses: the scores are
/// similarities, not probabilities). Fit by
/// <c>mlContext.MetricLearning().NearestNeighbor(...)</c> on the reference rows. Save it with
/// <c>mlContext.Model.SaveWithAutoLoss</c>; the references are stored with it.
/// </summary>
public sealed class EmbeddingNearestNeighborTransformer : ITransformer
{
    private readonly IOutputColumns _outputs;

    internal EmbeddingNearestNeighborTransformer(NearestReferenceScorer scorer, string embeddingColumnName, LabelKeyValues? keys)
    {
        Scorer = scorer;
        EmbeddingColumnName = embeddingColumnName;
        Keys = keys;
        _outputs = new NearestNeighborOutputColumns(scorer.NumberOfClasses, keys);
    }

    /// <summary>The column holding each row's embedding.</summary>
    public string EmbeddingColumnName { get; }

    /// <summary>The number of classes of the reference label (the length of <c>Score</c>).</summary>
    public int NumberOfClasses => Scorer.NumberOfClasses;

    /// <summary>k, the nearest references that vote.</summary>
    public int NumberOfNeighbors => Scorer.Neighbors;

    /// <summary>The number of reference rows.</summary>
    public int NumberOfReferences => Scorer.Labels.Length;

    internal NearestReferenceScorer Scorer { get; }

    internal LabelKeyValues? Keys { get; }

    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        NearestNeighborColumns.CheckEmbedding(inputSchema, EmbeddingColumnName, "scoring data", Scorer.Dimensions);
        return _outputs.Append(inputSchema);
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ScoredDataView(input, GetOutputSchema(input.Schema), Scorer, _outputs, EmbeddingColumnName, AdaptiveLossTransformerBase.ScoringBatchSize);
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        new ScoringRowMapper(inputSchema, GetOutputSchema(inputSchema), Scorer, _outputs, EmbeddingColumnName);

    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException("ML.NET's Model.Save cannot store AutoLoss.ML transformers; use mlContext.Model.SaveWithAutoLoss(model, schema, path).");
}
