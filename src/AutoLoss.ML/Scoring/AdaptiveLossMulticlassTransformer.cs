using AutoLoss.ML.Scoring;

namespace AutoLoss;

/// <summary>
/// A fitted AdaptiveLoss multiclass model. <c>Transform</c> appends <c>Score</c> (class
/// probabilities, SlotNames from the label's key values) and <c>PredictedLabel</c> (key with the
/// label's KeyValues), lazily and in batches, so Evaluate, CrossValidate, MapKeyToValue and
/// CreatePredictionEngine work as with ML.NET's own multiclass trainers. Holds native memory:
/// dispose it when done. Save it with <c>mlContext.Model.SaveWithAutoLoss</c>.
/// </summary>
public sealed class AdaptiveLossMulticlassTransformer : AdaptiveLossTransformerBase
{
    internal AdaptiveLossMulticlassTransformer(StudentScorer scorer, string featureColumnName, LabelKeyValues? keyValues, IReadOnlyList<EpochSummary> history, ILearnedLoss? learnedLoss = null)
        : base(scorer, featureColumnName, history, learnedLoss)
    {
        KeyValues = keyValues;
        OutputColumns = new MulticlassOutputColumns(scorer.OutputSize, keyValues);
    }

    /// <summary>Number of classes (length of Score).</summary>
    public int NumberOfClasses => Scorer.OutputSize;

    internal LabelKeyValues? KeyValues { get; }

    private protected override IOutputColumns OutputColumns { get; }
}
