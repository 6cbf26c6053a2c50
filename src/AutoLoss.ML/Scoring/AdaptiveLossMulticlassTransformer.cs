using AutoLoss.Core.Students;
using AutoLoss.Core.Teaching;
using AutoLoss.ML.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Scoring;

/// <summary>
/// A fitted AdaptiveLoss multiclass model. <c>Transform</c> appends <c>Score</c> (class
/// probabilities, SlotNames from the label's key values) and <c>PredictedLabel</c> (key with the
/// label's KeyValues), lazily and in batches, so Evaluate, CrossValidate, MapKeyToValue and
/// CreatePredictionEngine work as with ML.NET's own multiclass trainers. Holds native memory:
/// dispose it when done. Save it with <c>mlContext.Model.SaveWithAutoLoss</c>.
/// </summary>
public sealed class AdaptiveLossMulticlassTransformer : ITransformer, IDisposable
{
    /// <summary>Rows scored per forward pass by <see cref="Transform"/>.</summary>
    public const int ScoringBatchSize = 256;

    internal AdaptiveLossMulticlassTransformer(StudentScorer scorer, string featureColumnName, LabelKeyValues? keyValues, IReadOnlyList<EpochSummary> history)
    {
        Scorer = scorer;
        FeatureColumnName = featureColumnName;
        KeyValues = keyValues;
        TrainingHistory = history;
    }

    /// <summary>Name of the features column the model reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Number of features the student was trained on.</summary>
    public int FeatureCount => Scorer.FeatureCount;

    /// <summary>Number of classes (length of Score).</summary>
    public int NumberOfClasses => Scorer.ClassCount;

    /// <summary>The student's architecture.</summary>
    public StudentSpec Student => Scorer.Spec;

    /// <summary>Per-epoch summaries of the training run (empty for a loaded model).</summary>
    public IReadOnlyList<EpochSummary> TrainingHistory { get; }

    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    internal StudentScorer Scorer { get; }

    internal LabelKeyValues? KeyValues { get; }

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return MulticlassOutputColumns.Append(inputSchema, NumberOfClasses, KeyValues);
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input) =>
        new ScoredDataView(input, GetOutputSchema(input.Schema), Scorer, FeatureColumnName, ScoringBatchSize);

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        new ScoringRowMapper(inputSchema, GetOutputSchema(inputSchema), Scorer, FeatureColumnName);

    /// <summary>Not supported: ML.NET's <c>Model.Save</c> cannot serialise third-party transformers.</summary>
    /// <exception cref="NotSupportedException">Always; use <c>mlContext.Model.SaveWithAutoLoss</c>.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException("ML.NET's Model.Save cannot store AutoLoss.ML models; use mlContext.Model.SaveWithAutoLoss(model, schema, path) and mlContext.Model.LoadWithAutoLoss(path, out schema).");

    /// <summary>Releases the student network.</summary>
    public void Dispose() => Scorer.Dispose();

    private void CheckInput(DataViewSchema schema)
    {
        int size = TrainingColumns.CheckFeatures(schema, FeatureColumnName, "scoring data");
        if (size != FeatureCount)
            throw new ArgumentOutOfRangeException("FeatureColumnName",
                $"Feature column '{FeatureColumnName}' of the scoring data has {size} values per row, but the model was trained on {FeatureCount}. Build the features with the same transforms as for training.");
    }
}
