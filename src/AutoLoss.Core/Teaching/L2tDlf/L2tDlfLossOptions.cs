using AutoLoss.Core.Losses;

namespace AutoLoss.Core.Teaching.L2tDlf;

/// <summary>
/// L2T-DLF, "Learning to Teach with Dynamic Loss Functions" (Wu et al., NeurIPS 2018). At every student
/// step t a teacher network mu_theta reads the student state s_t (<see cref="L2tDlfState"/>) and outputs
/// the loss parameters Phi_t, b_t of the dynamic loss l_{Phi_t} = -sigmoid(y^T Phi_t log p + b_t). The
/// teacher learns theta online, alternating with the student: every
/// <see cref="StudentStepsPerTeacherUpdate"/> student steps it copies the student's weights, unrolls
/// <see cref="UnrollSteps"/> SGD steps (step size eta_t) of the dynamic loss on the most recent training
/// batches, measures the smoothed dev metric M~ = mean of sum_{y*} m(y*, y) p(y*|x) on a random dev batch,
/// and takes one Adam step on theta along dM~/dtheta (reverse-mode differentiation through the unrolled
/// steps, Algorithm 1). The student itself always steps on the current teacher's loss with theta frozen.
/// Needs validation data (D_dev) unless a frozen <see cref="PretrainedTeacher"/> is given.
/// </summary>
public sealed class L2tDlfLossOptions : LossOptions
{
    /// <summary>Width of the hidden layer of mu_theta. Default 32.</summary>
    public int TeacherHiddenSize { get; set; } = 32;

    /// <summary>T, the number of student SGD steps unrolled (and kept in memory) per teacher update.
    /// Memory grows linearly with T (see <see cref="MaxUnrollMegabytes"/>). Default 20.</summary>
    public int UnrollSteps { get; set; } = 20;

    /// <summary>Student steps between two teacher updates (K). Default 50.</summary>
    public int StudentStepsPerTeacherUpdate { get; set; } = 50;

    /// <summary>Adam learning rate for theta. Default 0.001. Adam moves every entry of theta by about this
    /// much per teacher update however small and noisy the short-horizon hypergradient is. On the digits
    /// benchmark (MLP 500-300, SGD momentum 0.9, seed 1) 0.01 gave 15% test error, 0.001 gave 7.8%, and a
    /// teacher that stayed at Phi = I gave 5.9%.</summary>
    public double TeacherLearningRate { get; set; } = 0.001;

    /// <summary>eta_t of the unrolled SGD steps; 0 (default) uses the run's learning rate at that step.
    /// Set it when the student's optimiser is not plain SGD (e.g. Adam), whose step sizes differ.</summary>
    public double UnrollLearningRate { get; set; }

    /// <summary>Dev examples per teacher update for M~ (a random subset of the validation data). Default 256.</summary>
    public int DevBatchSize { get; set; } = 256;

    /// <summary>Task metric m as a C x C cost matrix, row = true class y, column = predicted class y*
    /// (cost[y, y*] = m(y*, y)); finite and >= 0. Null (default) is the 0-1 error, m = 1 - I.</summary>
    public float[,]? CostMatrix { get; set; }

    /// <summary>Upper bound on the memory one unrolled episode may keep (estimated from the student's
    /// parameter count, batch size and T). Default 1024.</summary>
    public double MaxUnrollMegabytes { get; set; } = 1024;

    /// <summary>b_0, the bias of an untrained teacher; null (default) means ln C.</summary>
    public double? InitialBias { get; set; }

    /// <summary>A saved teacher (<see cref="L2tDlfTeacherModel.Load(string)"/>) to use with theta frozen
    /// instead of learning one. Works for any student architecture (s_t does not depend on it) and needs
    /// no validation data. Its number of classes must match the task's. Not disposed by the run.</summary>
    public L2tDlfTeacherModel? PretrainedTeacher { get; set; }

    /// <summary>The teacher learned by the most recent run with these options (a CPU copy owned by the
    /// caller; save it with <see cref="L2tDlfTeacherModel.Save(string)"/>), or null.</summary>
    public L2tDlfTeacherModel? LastTrainedTeacher { get; internal set; }

    /// <summary>Raised when a run that learned a teacher ends, with a CPU copy of it (also in <see cref="LastTrainedTeacher"/>).</summary>
    public event Action<L2tDlfTeacherModel>? TeacherTrained;

    /// <inheritdoc />
    public override bool RequiresValidationData => PretrainedTeacher is null;

    /// <inheritdoc />
    public override void Validate(int numberOfClasses, string optionName)
    {
        if (numberOfClasses < 2)
            throw new ArgumentException($"{optionName}: L2T-DLF needs at least 2 classes; the label has {numberOfClasses}.", optionName);
        if (PretrainedTeacher is { } pre && pre.NumberOfClasses != numberOfClasses)
            throw new ArgumentException(
                $"{optionName}.PretrainedTeacher was trained for {pre.NumberOfClasses} classes but the label has {numberOfClasses}; train a teacher for this task.", optionName);
        if (TeacherHiddenSize <= 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.TeacherHiddenSize is {TeacherHiddenSize}; it must be positive (e.g. 32).");
        if (UnrollSteps <= 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.UnrollSteps is {UnrollSteps}; it must be positive (e.g. 20).");
        if (StudentStepsPerTeacherUpdate <= 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.StudentStepsPerTeacherUpdate is {StudentStepsPerTeacherUpdate}; it must be positive (e.g. 50).");
        if (!(TeacherLearningRate > 0) || !double.IsFinite(TeacherLearningRate))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.TeacherLearningRate is {TeacherLearningRate}; it must be a positive number (e.g. 0.001).");
        if (!(UnrollLearningRate >= 0) || !double.IsFinite(UnrollLearningRate))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.UnrollLearningRate is {UnrollLearningRate}; it must be >= 0 (0 = the run's learning rate).");
        if (DevBatchSize <= 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.DevBatchSize is {DevBatchSize}; it must be positive (e.g. 256).");
        if (!(MaxUnrollMegabytes > 0) || !double.IsFinite(MaxUnrollMegabytes))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.MaxUnrollMegabytes is {MaxUnrollMegabytes}; it must be a positive number (e.g. 1024).");
        if (InitialBias is { } b && !double.IsFinite(b))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.InitialBias is {b}; it must be finite (or null for ln C).");
        if (CostMatrix is not null)
            SmoothedMetric.Validate(CostMatrix, numberOfClasses, optionName + ".CostMatrix");
    }

    /// <inheritdoc />
    public override ILossTeacher CreateTeacher(int numberOfClasses) => new L2tDlfTeacher(this, numberOfClasses);

    internal void OnTeacherTrained(L2tDlfTeacherModel teacher)
    {
        LastTrainedTeacher = teacher;
        TeacherTrained?.Invoke(teacher);
    }

    /// <inheritdoc />
    public override string ToString() =>
        PretrainedTeacher is not null
            ? "L2T-DLF(pretrained teacher, frozen)"
            : $"L2T-DLF(T {UnrollSteps}, every {StudentStepsPerTeacherUpdate} steps, teacher lr {TeacherLearningRate})";
}
