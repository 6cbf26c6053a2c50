using AutoLoss.ML.Scoring;

namespace AutoLoss;

/// <summary>
/// A fitted AdaptiveLoss regression model. <c>Transform</c> appends <c>Score</c> (a Single: the
/// student's prediction), lazily and in batches, so Regression.Evaluate, CrossValidate and
/// CreatePredictionEngine work as with ML.NET's own regression trainers. Holds native memory:
/// dispose it when done. Save it with <c>mlContext.Model.SaveWithAutoLoss</c>.
/// </summary>
public sealed class AdaptiveLossRegressionTransformer : AdaptiveLossTransformerBase
{
    internal AdaptiveLossRegressionTransformer(StudentScorer scorer, string featureColumnName, IReadOnlyList<EpochSummary> history, ILearnedLoss? learnedLoss = null)
        : base(scorer, featureColumnName, history, learnedLoss)
    {
    }

    private protected override IOutputColumns OutputColumns => RegressionOutputColumns.Instance;
}
