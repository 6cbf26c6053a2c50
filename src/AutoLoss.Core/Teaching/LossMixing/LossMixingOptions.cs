using AutoLoss.Core.Losses;
using AutoLoss.Core.Teaching;
using AutoLoss.Core.Teaching.LossMixing;

namespace AutoLoss;

/// <summary>
/// Per-example loss mixing, "AutoLoss: Automated Loss Function Search in Recommendations" (Zhao et al., KDD 2021). A
/// controller network V reads each training example's state s_i (the K candidate losses' values l_ik, the class
/// probabilities, the label) and gives logits alpha_i; the mixing weights are the Gumbel-softmax relaxation
/// w_i = softmax((alpha_i + g_i) / tau), g_ik ~ Gumbel(0, 1), with tau annealed geometrically from
/// <see cref="InitialTemperature"/> to <see cref="FinalTemperature"/> over training; the student minimises
/// mean_i sum_k w_ik l_ik. V learns on validation data, alternating with the student (bi-level): every
/// <see cref="StudentStepsPerControllerUpdate"/> student steps it takes one Adam step to lower the validation
/// cross-entropy of the student after a step on the mixed loss (<see cref="Update"/>). The untrained controller mixes
/// uniformly, so <see cref="UniformMixture"/> is the fixed starting point to compare with. Needs validation data unless
/// a frozen <see cref="PretrainedController"/> is given. Classification (binary or multiclass) only.
/// </summary>
public sealed class LossMixingOptions : EpisodicLossOptions<LossMixerController>
{
    /// <summary>Options with the defaults: no teacher episodes, V learning online while the final student trains.</summary>
    public LossMixingOptions() => LearnDuringFinalStudent = true;

    /// <summary>The candidate losses l_1..l_K (at least two, distinct names). Default: cross-entropy (binary
    /// cross-entropy for two classes), focal loss (gamma 2), squared error on the probabilities and the hinge on the
    /// margin (margin 1). The instances are shared by every run of these options and are not disposed.</summary>
    public IReadOnlyList<IPerExampleLoss> Candidates { get; set; } =
        [CrossEntropyLoss.Instance, new FocalLoss(2), ProbabilitySquaredErrorLoss.Instance, new MarginHingeLoss(1)];

    /// <summary>Width of the controller's hidden layer. Default 16.</summary>
    public int ControllerHiddenSize { get; set; } = 16;

    /// <summary>Adam learning rate of V. Default 0.001.</summary>
    public double ControllerLearningRate { get; set; } = 0.001;

    /// <summary>How V is updated (<see cref="LossMixingUpdate"/>). Default <see cref="LossMixingUpdate.FirstOrder"/>.</summary>
    public LossMixingUpdate Update { get; set; } = LossMixingUpdate.FirstOrder;

    /// <summary>Student steps between two controller updates. Default 1 (the paper alternates every step).</summary>
    public int StudentStepsPerControllerUpdate { get; set; } = 1;

    /// <summary>Validation examples per controller update (a random subset of the validation data). Default 256.</summary>
    public int DevBatchSize { get; set; } = 256;

    /// <summary>xi, the student step size of the look-ahead; 0 (default) uses the run's learning rate at that step.</summary>
    public double LookAheadLearningRate { get; set; }

    /// <summary>tau at the start of training, > 0. Default 1.</summary>
    public double InitialTemperature { get; set; } = 1;

    /// <summary>tau at the end of training, > 0; lower makes each example's mixture closer to one loss. Default 0.2.</summary>
    public double FinalTemperature { get; set; } = 0.2;

    /// <summary>A saved controller (<see cref="LossMixerController.Load(string)"/>) to use frozen instead of learning one
    /// (its transfer to another student or dataset). Its candidate names and number of classes must match. Needs no
    /// validation data. Not disposed by the run.</summary>
    public LossMixerController? PretrainedController { get => Pretrained; set => Pretrained = value; }

    /// <summary>Raised after every epoch of every student with the temperature and the candidates' mean weights.</summary>
    public event Action<LossMixingEpochReport>? EpochCompleted;

    /// <summary>Raised when a run that learned a controller ends, with the copy the run hands back (the fitted model's
    /// <c>LearnedLoss</c>, which the model owns and disposes): clone it to keep it.</summary>
    public event Action<LossMixerController>? ControllerTrained
    {
        add => Trained += value;
        remove => Trained -= value;
    }

    /// <inheritdoc />
    protected override string PretrainedOptionName => nameof(PretrainedController);

    /// <inheritdoc />
    public override bool RequiresValidationData => PretrainedController is null;

    /// <summary>The fixed uniform mixture (1/K) of <see cref="Candidates"/>: what an untrained controller gives on average,
    /// the starting point the learned mixture is measured against.</summary>
    public FixedLossOptions UniformMixture()
    {
        var candidates = Candidates.ToArray();
        return new FixedLossOptions(() => new MixtureLoss(candidates.Select(c => (c, 1.0 / candidates.Length)).ToArray()));
    }

    /// <inheritdoc />
    public override void Validate(TrainingTask task, string optionName)
    {
        int classes = ClassificationLossCheck.Require(task, "loss mixing", optionName).NumberOfClasses;
        if (Candidates is null || Candidates.Count < 2)
            throw new ArgumentException($"{optionName}.Candidates has {Candidates?.Count ?? 0} losses; a mixture needs at least two.", optionName);
        if (Candidates.Any(c => c is null)) throw new ArgumentException($"{optionName}.Candidates contains null; remove it.", optionName);
        var duplicate = Candidates.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"{optionName}.Candidates has two losses named '{duplicate.Key}'; the controller tells candidates apart by name.", optionName);
        foreach (var candidate in Candidates) candidate.Validate(task, $"{optionName}.Candidates");
        if (PretrainedController is { } pre)
        {
            if (pre.NumberOfClasses != classes)
                throw new ArgumentException($"{optionName}.PretrainedController was trained for {pre.NumberOfClasses} classes but the label has {classes}.", optionName);
            if (!pre.CandidateNames.SequenceEqual(Candidates.Select(c => c.Name)))
                throw new ArgumentException($"{optionName}.PretrainedController chooses among [{string.Join(", ", pre.CandidateNames)}] but Candidates are " +
                                            $"[{string.Join(", ", Candidates.Select(c => c.Name))}]; give the same losses in the same order.", optionName);
        }
        if (ControllerHiddenSize <= 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.ControllerHiddenSize is {ControllerHiddenSize}; it must be positive (e.g. 16).");
        if (!(ControllerLearningRate > 0) || !double.IsFinite(ControllerLearningRate))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.ControllerLearningRate is {ControllerLearningRate}; it must be a positive number (e.g. 0.001).");
        if (!Enum.IsDefined(Update))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.Update is {(int)Update}; use LossMixingUpdate.FirstOrder or OneStepLookAhead.");
        if (StudentStepsPerControllerUpdate <= 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.StudentStepsPerControllerUpdate is {StudentStepsPerControllerUpdate}; it must be positive (e.g. 1).");
        if (DevBatchSize <= 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.DevBatchSize is {DevBatchSize}; it must be positive (e.g. 256).");
        if (!(LookAheadLearningRate >= 0) || !double.IsFinite(LookAheadLearningRate))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.LookAheadLearningRate is {LookAheadLearningRate}; it must be >= 0 (0 = the run's learning rate).");
        foreach (var (name, value) in new[] { (nameof(InitialTemperature), InitialTemperature), (nameof(FinalTemperature), FinalTemperature) })
            if (!(value > 0) || !double.IsFinite(value))
                throw new ArgumentOutOfRangeException(optionName, $"{optionName}.{name} is {value}; it must be a positive number (e.g. 1 to start, 0.2 to end).");
        ValidateEpisodes(optionName);
    }

    /// <inheritdoc />
    public override ILossTeacher CreateTeacher(TrainingTask task)
    {
        Validate(task, "Loss");
        return new LossMixerTeacher(this, ((ClassificationTask)task).NumberOfClasses);
    }

    internal void OnEpoch(LossMixingEpochReport report) => EpochCompleted?.Invoke(report);
}
