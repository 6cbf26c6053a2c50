using AutoLoss.Core.Losses;
using AutoLoss.Core.Teaching;
using AutoLoss.Core.Teaching.L2tDlf;

namespace AutoLoss;

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
public sealed class L2tDlfLossOptions : EpisodicLossOptions<L2tDlfTeacherModel>
{
    /// <summary>Options with the defaults: no teacher episodes (<see cref="EpisodicLossOptions{TArtefact}.TeacherEpisodes"/>
    /// 0), theta learning online while the final student trains (<see cref="EpisodicLossOptions{TArtefact}.LearnDuringFinalStudent"/>
    /// true).</summary>
    public L2tDlfLossOptions() => LearnDuringFinalStudent = true;

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

    /// <summary>b_0, the bias of an untrained teacher. Null (default) centres the sigmoid for an untrained
    /// student that predicts p = 1/C: b_0 = ln C x (mean row sum of Phi_0), which is ln C for Phi_0 = I and
    /// 3.34 for 10 classes with off-diagonal 0.05.</summary>
    public double? InitialBias { get; set; }

    /// <summary>Whether the teacher only reshapes the loss (see <see cref="L2tDlfTeacherModel.FixedScale"/>):
    /// Phi_t keeps Phi_0's mean diagonal and mean off-diagonal and b_t stays b_0. Default false.</summary>
    public bool FixedScale { get; set; }

    /// <summary>Phi_0, the C x C matrix an untrained teacher outputs: diagonal entries &gt; 0, off-diagonal entries
    /// &gt;= 0, all finite. The teacher scales each entry (Phi_t = Phi_0 * exp(Delta_t), elementwise), so signs never
    /// change and zero entries stay zero. Null (default) means the identity with <see cref="InitialOffDiagonal"/>
    /// off the diagonal.</summary>
    public float[,]? InitialPhi { get; set; }

    /// <summary>The off-diagonal entries of Phi_0 when <see cref="InitialPhi"/> is null; &gt;= 0. Default 0.05.
    /// A positive Phi(y, j) adds Phi(y, j) log p_j to the sigmoid's argument, a label-smoothing-like pull that
    /// keeps the student from driving the other classes' probabilities to zero. 0 is the paper's identity start,
    /// whose off-diagonal the teacher then cannot move. Digits, MLP 500-300, fixed Phi (no teacher), 2 seeds:
    /// off-diagonal 0 -> 5.3% test error, 0.03 -> 3.5%, 0.05 (b = 3) -> 3.5%, 0.1 -> 4.4%; cross-entropy 4.1%.</summary>
    public double InitialOffDiagonal { get; set; } = 0.05;

    /// <summary>A saved teacher (<see cref="L2tDlfTeacherModel.Load(string)"/>) to use with theta frozen
    /// instead of learning one. Works for any student architecture (s_t does not depend on it) and needs
    /// no validation data. Its number of classes must match the task's. Not disposed by the run.</summary>
    public L2tDlfTeacherModel? PretrainedTeacher { get => Pretrained; set => Pretrained = value; }

    /// <summary>Raised after every epoch of every student (teacher episodes and the final student) with the
    /// dev error and the teacher's current Phi_t statistics, for plots and monitoring.</summary>
    public event Action<L2tDlfEpochReport>? EpochCompleted;

    /// <summary>Raised when a run that learned a teacher ends, with the copy the run hands back (the fitted
    /// model's <c>LearnedLoss</c>, which the model owns and disposes; a search trial disposes it when the trial ends):
    /// clone it to keep it. Raised on the thread that trains, which for parallel search trials is a pool thread.</summary>
    public event Action<L2tDlfTeacherModel>? TeacherTrained
    {
        add => Trained += value;
        remove => Trained -= value;
    }

    /// <inheritdoc />
    protected override string PretrainedOptionName => nameof(PretrainedTeacher);

    /// <inheritdoc />
    public override bool RequiresValidationData => PretrainedTeacher is null;

    /// <inheritdoc />
    public override void Validate(TrainingTask task, string optionName)
    {
        int numberOfClasses = ClassificationLossCheck.Require(task, "L2T-DLF", optionName).NumberOfClasses;
        if (PretrainedTeacher is { } pre && pre.NumberOfClasses != numberOfClasses)
            throw new ArgumentException(
                $"{optionName}.PretrainedTeacher was trained for {pre.NumberOfClasses} classes but the label has {numberOfClasses}; train a teacher for this task.", optionName);
        if (TeacherHiddenSize <= 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.TeacherHiddenSize is {TeacherHiddenSize}; it must be positive (e.g. 32).");
        if (UnrollSteps <= 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.UnrollSteps is {UnrollSteps}; it must be positive (e.g. 20).");
        if (StudentStepsPerTeacherUpdate <= 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.StudentStepsPerTeacherUpdate is {StudentStepsPerTeacherUpdate}; it must be positive (e.g. 50).");
        ValidateEpisodes(optionName);
        if (!(TeacherLearningRate > 0) || !double.IsFinite(TeacherLearningRate))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.TeacherLearningRate is {TeacherLearningRate}; it must be a positive number (e.g. 0.001).");
        if (!(UnrollLearningRate >= 0) || !double.IsFinite(UnrollLearningRate))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.UnrollLearningRate is {UnrollLearningRate}; it must be >= 0 (0 = the run's learning rate).");
        if (DevBatchSize <= 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.DevBatchSize is {DevBatchSize}; it must be positive (e.g. 256).");
        if (!(MaxUnrollMegabytes > 0) || !double.IsFinite(MaxUnrollMegabytes))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.MaxUnrollMegabytes is {MaxUnrollMegabytes}; it must be a positive number (e.g. 1024).");
        if (InitialBias is { } b && !double.IsFinite(b))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.InitialBias is {b}; it must be finite (or null to centre the sigmoid).");
        if (InitialPhi is { } phi0)
        {
            if (phi0.GetLength(0) != numberOfClasses || phi0.GetLength(1) != numberOfClasses)
                throw new ArgumentException($"{optionName}.InitialPhi is {phi0.GetLength(0)} x {phi0.GetLength(1)}; the label has {numberOfClasses} classes, so it must be {numberOfClasses} x {numberOfClasses}.", optionName);
            if (phi0.Cast<float>().Any(v => !float.IsFinite(v)))
                throw new ArgumentOutOfRangeException(optionName, $"{optionName}.InitialPhi contains a NaN or infinite value; every entry must be finite.");
            for (int i = 0; i < numberOfClasses; i++)
                for (int j = 0; j < numberOfClasses; j++)
                    if (i == j ? !(phi0[i, j] > 0) : phi0[i, j] < 0)
                        throw new ArgumentOutOfRangeException(optionName,
                            $"{optionName}.InitialPhi[{i}, {j}] is {phi0[i, j]}; diagonal entries must be > 0 and off-diagonal entries >= 0 " +
                            "(a negative off-diagonal lets the student minimise the loss by driving one wrong class to probability 0).");
        }
        if (!(InitialOffDiagonal >= 0) || !double.IsFinite(InitialOffDiagonal))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.InitialOffDiagonal is {InitialOffDiagonal}; it must be a finite number >= 0 (e.g. 0.05).");
        if (CostMatrix is not null)
            SmoothedMetric.Validate(CostMatrix, numberOfClasses, optionName + ".CostMatrix");
    }

    /// <inheritdoc />
    public override ILossTeacher CreateTeacher(TrainingTask task)
    {
        Validate(task, "Loss");
        return new L2tDlfTeacher(this, task.OutputSize);
    }

    /// <summary>Phi_0 as the teacher uses it: <see cref="InitialPhi"/>, or the identity with <see cref="InitialOffDiagonal"/> off the diagonal.</summary>
    internal double[,] ResolveInitialPhi(int numberOfClasses)
        => ParametricLoss.StartingPhi(numberOfClasses, InitialPhi, InitialOffDiagonal);

    internal void OnEpoch(L2tDlfEpochReport report) => EpochCompleted?.Invoke(report);


    /// <inheritdoc />
    public override string ToString() =>
        PretrainedTeacher is not null
            ? "L2T-DLF(pretrained teacher, frozen)"
            : $"L2T-DLF(T {UnrollSteps}, every {StudentStepsPerTeacherUpdate} steps, teacher lr {TeacherLearningRate})";
}
