using AutoLoss.Core.Teaching.Ala;
using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.AlaEmbedding;

/// <summary>
/// The <see cref="ILossTeacher"/> of <see cref="AlaEmbeddingLossOptions"/>: ALA on an embedding loss family. The state
/// is the validation distance statistics (<see cref="EmbeddingValidationStatistics"/>); an element-shared policy reads
/// one row per element of Phi (the family's description of it, then training progress, the reward metric and its change)
/// and moves that element by -beta, 0 or +beta.
/// </summary>
internal sealed class AlaEmbeddingTeacher(AlaEmbeddingLossOptions options)
    : AlaTeacherBase<AlaEmbeddingChild, double[]>(options, options.PretrainedPolicy)
{
    private const int ControllerFeatures = 3;   // progress, metric, metric change, after the family's element features

    private readonly AlaEmbeddingLossFamily _family = options.Family;

    protected override int RandomSalt => 0x0A1A_E3BD;

    protected override bool HigherIsBetter => options.RewardMetric.HigherIsBetter;

    protected override AlaPolicyModel CreatePolicy() =>
        new(AlaPolicyKind.ElementShared, Math.Max(2, _family.Size), options.PolicyHiddenSize, options.InitialKeepProbability);

    protected override void AddChildren(TeachingContext context)
    {
        if (Validation.Count < 2)
            throw new ArgumentException("ALA on an embedding loss ranks the validation rows against each other; it needs at least 2 (set ValidationFraction, e.g. 0.2).", "Loss");
        if (Policy.InputSize != AlaEmbeddingLossFamily.ElementFeatureCount + ControllerFeatures)
            throw new InvalidOperationException($"An element-shared policy reads {Policy.InputSize} values per element; the embedding teacher writes {AlaEmbeddingLossFamily.ElementFeatureCount + ControllerFeatures}.");
        Children.Add(new AlaEmbeddingChild(_family, side: null, context.Seed + 7_919));
        for (int k = 1; k < options.Children; k++)
        {
            int seed = SideSeed(k);
            Children.Add(new AlaEmbeddingChild(_family, context.CreateSideStudent!(seed), seed + 7_919));
        }
        context.Log($"ALA on {_family.Name}: {options.Children} child model(s), {Policy}, rewarded by validation {options.RewardMetric.Name} on {Validation.Count} rows, " +
                    $"a decision every {options.StepsPerAction} steps.");
    }

    protected override double MeasureMetric(nn.Module<Tensor, Tensor> student) =>
        EmbeddingValidationStatistics.MeasureMetric(student, Validation, options.RewardMetric);

    protected override void MeasureState(AlaEmbeddingChild child, nn.Module<Tensor, Tensor> student)
    {
        child.Latest = EmbeddingValidationStatistics.Measure(student, Validation, options.RewardMetric, _family.StatisticsBins);
        child.Checkpoints.Add(child.Latest.Metric);
    }

    /// <summary>One policy row per element of Phi: the family's description, then progress, the metric and its change.</summary>
    protected override (float[] Inputs, int Rows, int[,] Targets) PolicyInputs(AlaEmbeddingChild child, double progress)
    {
        int rows = _family.Size, width = AlaEmbeddingLossFamily.ElementFeatureCount + ControllerFeatures;
        var inputs = new float[rows * width];
        var targets = new int[rows, 1];
        var now = child.Latest!;
        for (int k = 0; k < rows; k++)
        {
            var row = inputs.AsSpan(k * width, width);
            _family.Describe(k, now, child.Previous, child.Phi, row);
            row[^3] = (float)progress;
            row[^2] = (float)now.Metric;
            row[^1] = child.Previous is null ? 0 : (float)(now.Metric - child.Previous.Metric);
            targets[k, 0] = k;
        }
        return (inputs, rows, targets);
    }

    protected override double Apply(AlaEmbeddingChild child, AlaDecision decision)
    {
        double change = child.Apply(decision, options.ResolveStep());
        child.Previous = child.Latest;
        return change / _family.Size;
    }

    protected override void Report(StudentState state, double reward, double meanReward, double meanChange)
    {
        var report = new AlaEmbeddingActionReport(Decisions, state.Step, state.Progress, reward, meanReward, Learner.Baseline, Main.Latest!.Metric, Main.SnapshotPhi());
        Context.Log($"ALA decision {report.Action + 1} at step {state.Step}: reward {report.Reward:+0;-0;0} (children mean {report.MeanReward:F2}), validation " +
                    $"{options.RewardMetric.Name} {report.Metric:P2}, mean |dPhi| {meanChange:G3}, Phi [{string.Join(", ", Main.Phi.Select(p => p.ToString("F2")))}].");
        options.OnAction(report);
    }
}
