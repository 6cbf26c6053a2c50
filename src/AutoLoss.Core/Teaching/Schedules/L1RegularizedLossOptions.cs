using AutoLoss.Core.Teaching;
using AutoLoss.Core.Training;

namespace AutoLoss;

/// <summary>
/// The fixed combination task loss + lambda x ||W||_1 at every step (cross-entropy or squared error by task; W the
/// student's weight matrices): the baseline an AutoLoss schedule is compared against, and a plain L1-regularised loss
/// in its own right. Works for regression and classification students.
/// </summary>
public sealed class L1RegularizedLossOptions : LossOptions
{
    /// <summary>lambda, the weight of the L1 term, >= 0. Default 0.001.</summary>
    public double Lambda { get; set; } = 0.001;

    /// <inheritdoc />
    public override void Validate(TrainingTask task, string optionName)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!(Lambda >= 0) || !double.IsFinite(Lambda))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.Lambda is {Lambda}; it must be a finite number >= 0 (e.g. 0.001).");
    }

    /// <inheritdoc />
    public override ILossTeacher CreateTeacher(TrainingTask task)
    {
        Validate(task, "Loss");
        return new CombinedLossTeacher(task, Lambda);
    }

    /// <inheritdoc />
    public override string ToString() => $"task loss + {Lambda:G3} x L1";

    /// <summary>Steps on task + lambda ||W||_1 (the task loss already reduced with example weights).</summary>
    private sealed class CombinedLossTeacher(TrainingTask task, double lambda) : ILossTeacher
    {
        public void Begin(TeachingContext context) { }

        public TorchSharp.torch.Tensor ComputeLoss(StudentState state)
        {
            var taskLoss = ScheduleObjective.TaskLoss.Evaluate(state, task);
            if (lambda == 0) return taskLoss;
            using var l1 = ScheduleObjective.WeightL1(state.Student);
            using var scaled = l1.mul(lambda);
            using (taskLoss) return taskLoss.add(scaled);
        }

        public void AfterStep(StepOutcome outcome) { }

        public void AfterEpoch(EpochSummary summary) { }

        public void Dispose() { }
    }
}
