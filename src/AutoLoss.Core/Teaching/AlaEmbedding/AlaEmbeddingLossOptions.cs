using AutoLoss.Core.Losses.Embedding;
using AutoLoss.Core.Metrics.Retrieval;
using AutoLoss.Core.Teaching;
using AutoLoss.Core.Teaching.AlaEmbedding;

namespace AutoLoss;

/// <summary>
/// ALA on metric learning (Huang et al., ICML 2019, section 4.2): the student of an <see cref="EmbeddingTask"/>
/// minimises l_{Phi_t} of a loss family (<see cref="Family"/>: the distance mixture on the margin loss by default, or
/// focal weighting). Every <see cref="AlaControllerOptions.StepsPerAction"/> (K) student steps an element-shared
/// controller pi_theta reads, for each element of Phi, the validation distance statistics it acts on
/// (<see cref="EmbeddingValidationStatistics"/>) with Phi, training progress and the validation metric, and moves the
/// element by -beta, 0 or +beta. The reward is the sign of the change of a discounted window of the validation
/// <see cref="RewardMetric"/> (Recall@1 by default) over the K steps; theta learns by REINFORCE from a replay memory
/// filled by <see cref="AlaControllerOptions.Children"/> child models. Needs validation data whose labels repeat
/// (every row needs another of its label to be retrieved).
/// </summary>
public sealed class AlaEmbeddingLossOptions : AlaControllerOptions
{
    /// <summary>The loss family whose Phi the controller moves. Default <see cref="AlaDistanceMixture"/> with its
    /// defaults (8 bins on the margin loss; Phi_0 = 1 is the margin loss itself).</summary>
    public AlaEmbeddingLossFamily Family { get; set; } = new AlaDistanceMixture();

    /// <summary>beta, the step of an action on one element of Phi. Null (default): the family's
    /// <see cref="AlaEmbeddingLossFamily.DefaultStep"/>.</summary>
    public double? Beta { get; set; }

    /// <summary>The validation metric the reward follows. Default <see cref="RetrievalMetric.RecallAt1"/>.</summary>
    public RetrievalMetric RewardMetric { get; set; } = RetrievalMetric.RecallAt1;

    /// <summary>A saved element-shared policy (<see cref="AlaPolicyModel.Load(string)"/>) to act with instead of a
    /// fresh one. Not disposed by the run.</summary>
    public AlaPolicyModel? PretrainedPolicy { get; set; }

    /// <summary>Raised after every controller decision of the run's student.</summary>
    public event Action<AlaEmbeddingActionReport>? ActionCompleted;

    /// <inheritdoc />
    public override void Validate(TrainingTask task, string optionName)
    {
        EmbeddingPairs.Require(task, "ALA on an embedding loss", optionName);
        ValidateController(optionName);
        if (Family is null)
            throw new ArgumentNullException(optionName, $"{optionName}.Family is null; set it to new AlaDistanceMixture() or new AlaFocalWeighting().");
        Family.Validate($"{optionName}.Family");
        if (Beta is { } beta) RequirePositive(beta, nameof(Beta), Family.DefaultStep.ToString(System.Globalization.CultureInfo.InvariantCulture), optionName);
        if (RewardMetric is null)
            throw new ArgumentNullException(optionName, $"{optionName}.RewardMetric is null; set it to RetrievalMetric.RecallAt1 (default) or RetrievalMetric.MeanAveragePrecisionAtR.");
        if (PretrainedPolicy is { } pre && pre.Kind != AlaPolicyKind.ElementShared)
            throw new ArgumentException($"{optionName}.PretrainedPolicy is a {pre.Kind} policy for classification; an embedding loss needs an ElementShared policy " +
                                        "(one trained by AlaEmbeddingLossOptions).", optionName);
    }

    /// <inheritdoc />
    public override ILossTeacher CreateTeacher(TrainingTask task)
    {
        Validate(task, "Loss");
        return new AlaEmbeddingTeacher(this);
    }

    /// <summary>beta as the teacher uses it.</summary>
    internal double ResolveStep() => Beta ?? Family.DefaultStep;

    internal void OnAction(AlaEmbeddingActionReport report) => ActionCompleted?.Invoke(report);

    /// <inheritdoc />
    public override string ToString() =>
        PretrainedPolicy is not null && !ContinueLearning
            ? $"ALA({Family.Name}, pretrained policy, frozen, K {StepsPerAction}, beta {ResolveStep()})"
            : $"ALA({Family.Name}, K {StepsPerAction}, beta {ResolveStep()}, {Children} children)";
}
