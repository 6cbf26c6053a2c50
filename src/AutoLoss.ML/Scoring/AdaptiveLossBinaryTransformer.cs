using AutoLoss.ML.Scoring;

namespace AutoLoss;

/// <summary>
/// A fitted AdaptiveLoss binary classifier. <c>Transform</c> appends <c>Score</c> (the margin log p_1 - log p_0),
/// <c>Probability</c> (p_1) and <c>PredictedLabel</c> (Boolean), lazily and in batches, so
/// BinaryClassification.Evaluate, CrossValidate and CreatePredictionEngine work as with ML.NET's own calibrated
/// binary trainers. Holds native memory: dispose it when done. Save it with <c>mlContext.Model.SaveWithAutoLoss</c>.
/// </summary>
public sealed class AdaptiveLossBinaryTransformer : AdaptiveLossTransformerBase
{
    internal AdaptiveLossBinaryTransformer(StudentScorer scorer, string featureColumnName, IReadOnlyList<EpochSummary> history, ILearnedLoss? learnedLoss = null)
        : base(scorer, featureColumnName, history, learnedLoss)
    {
    }

    private protected override IOutputColumns OutputColumns => BinaryOutputColumns.Instance;
}
