using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.Ala;

/// <summary>
/// The <see cref="ILossTeacher"/> of <see cref="AlaLossOptions"/>: ALA on the Phi-parametric classification loss. The
/// state is the confusion matrix of mean -log p on the validation rows (<see cref="AlaValidationView"/>), the policy
/// acts on every element of Phi (C x C), and the reward follows the options' <see cref="AlaMetric"/>.
/// </summary>
internal sealed class AlaTeacher(AlaLossOptions options, int numberOfClasses, bool binary)
    : AlaTeacherBase<AlaChild, double[,]>(options, options.PretrainedPolicy)
{
    private readonly AlaMetric _metric = options.Metric ?? (binary ? AlaMetric.AreaUnderPrecisionRecallCurve : AlaMetric.ErrorRate);

    protected override int RandomSalt => 0x0A1A_5EED;

    protected override bool HigherIsBetter => _metric.HigherIsBetter;

    protected override AlaPolicyModel CreatePolicy() =>
        new(options.Policy, numberOfClasses, options.PolicyHiddenSize, options.InitialKeepProbability);

    protected override void AddChildren(TeachingContext context)
    {
        var phi0 = options.ResolveInitialPhi(numberOfClasses, binary);
        double scale = options.ResolveLossScale(phi0, binary);
        Children.Add(new AlaChild(phi0, scale, context.Device, side: null));
        for (int k = 1; k < options.Children; k++)
            Children.Add(new AlaChild(phi0, scale, context.Device, context.CreateSideStudent!(SideSeed(k))));
        context.Log($"ALA: {options.Children} child model(s), {Policy}, aligning to {_metric.Name} on {Validation.Count} validation rows, loss scale {scale:G4}, " +
                    $"a decision every {options.StepsPerAction} steps.");
    }

    protected override double MeasureMetric(nn.Module<Tensor, Tensor> student) => AlaValidationView.Measure(student, Validation, _metric, numberOfClasses).Metric;

    protected override void MeasureState(AlaChild child, nn.Module<Tensor, Tensor> student)
    {
        child.Latest = AlaValidationView.Measure(student, Validation, _metric, numberOfClasses);
        child.Checkpoints.Add(child.Latest.Metric);
    }

    protected override (float[] Inputs, int Rows, int[,] Targets) PolicyInputs(AlaChild child, double progress) =>
        Policy.Inputs(child.Latest!.Confusion, child.PreviousConfusion, child.Phi, progress);

    protected override double Apply(AlaChild child, AlaDecision decision)
    {
        double change = child.Apply(decision, options.Beta, options.MinimumDiagonal, options.MaximumDiagonal, options.MaximumOffDiagonal);
        child.PreviousConfusion = child.Latest!.Confusion;
        return change / (numberOfClasses * numberOfClasses);
    }

    protected override void Report(StudentState state, double reward, double meanReward, double meanChange)
    {
        var report = new AlaActionReport(Decisions, state.Step, state.Progress, reward, meanReward, Learner.Baseline, Main.Latest!.Metric, meanChange,
            MeanDiagonal(Main.Phi), MeanOffDiagonal(Main.Phi));
        Context.Log($"ALA decision {report.Action + 1} at step {state.Step}: reward {report.Reward:+0;-0;0} (children mean {report.MeanReward:F2}, baseline {report.Baseline:F2}), " +
                    $"validation {_metric.Name} {report.Metric:G4}, mean |dPhi| {report.MeanAbsolutePhiChange:G3}, Phi diagonal {report.MeanDiagonal:F3}, off-diagonal {report.MeanOffDiagonal:F4}.");
        options.OnAction(report);
    }

    private static double MeanDiagonal(double[,] phi)
    {
        int c = phi.GetLength(0);
        double sum = 0;
        for (int i = 0; i < c; i++) sum += phi[i, i];
        return sum / c;
    }

    private static double MeanOffDiagonal(double[,] phi)
    {
        int c = phi.GetLength(0);
        double sum = 0;
        for (int i = 0; i < c; i++)
            for (int j = 0; j < c; j++)
                if (i != j) sum += phi[i, j];
        return sum / (c * (c - 1));
    }
}
