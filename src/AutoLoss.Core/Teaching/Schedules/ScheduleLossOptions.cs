using AutoLoss.Core.Teaching;
using AutoLoss.Core.Teaching.Schedules;

namespace AutoLoss;

/// <summary>
/// AutoLoss, "learning discrete schedules for alternate optimisation" (Xu et al., ICLR 2019): at every step a
/// <see cref="ScheduleController"/> chooses which of <see cref="Objectives"/> the student's optimiser steps on (by
/// default the task loss or an L1 penalty on the weights, so the controller replaces the hand-tuned lambda of
/// task + lambda x L1). The controller reads s_t = [training progress; for each objective, ln of its recent value
/// (moving average) over its first value; ln of the latest validation loss over the first; for each objective, its
/// share of the choices since the last reward]: 2 + 2K values for K objectives. Every <see cref="RewardEvery"/>
/// steps it is rewarded with the relative improvement of the validation loss (MSE for regression; for
/// classification <see cref="ClassificationReward"/>, by default the log-loss at the best temperature). Each decision
/// is credited with the improvement from its segment to the end of the episode (<see cref="RewardDiscount"/>),
/// against the other episodes of its group (<see cref="EpisodesPerUpdate"/>, optionally training the same student:
/// <see cref="PairedEpisodes"/>), and the controller learns by REINFORCE over <see cref="EpisodicLossOptions{TArtefact}.TeacherEpisodes"/> freshly
/// initialised students before the final student trains, where it chooses frozen (sampling, or deterministically with
/// <see cref="FrozenChoices"/>). <see cref="EpisodeExploration"/> adds an episode-level search of the mix: every training
/// episode runs under its own random offset of the logits and the controller's bias follows the offsets that ended with
/// the lower validation loss (with <see cref="LearningChoices"/> = Balanced, episodes are rendered without dice). Needs
/// validation data. Works for regression, binary and multiclass students.
/// </summary>
public sealed class ScheduleLossOptions : EpisodicLossOptions<ScheduleController>
{
    /// <summary>Options with the defaults: 32 controller-training episodes before the final student
    /// (<see cref="EpisodicLossOptions{TArtefact}.TeacherEpisodes"/>; REINFORCE needs many: the L1 benchmarks use 128 of
    /// a small student, a fraction of a second each), and no learning while the final student trains
    /// (<see cref="EpisodicLossOptions{TArtefact}.LearnDuringFinalStudent"/> false: with <see cref="RewardDiscount"/> &gt; 0
    /// its decisions are credited only when it ends, so learning then would improve the controller handed back in the
    /// fitted model's <c>LearnedLoss</c>, not that student's own schedule; set RewardDiscount to 0 for a controller that
    /// adapts within the final run).</summary>
    public ScheduleLossOptions() => TeacherEpisodes = 32;

    /// <summary>The objectives to choose from, in order (at least 2). Null (default): the task loss and
    /// <see cref="ScheduleObjective.L1Penalty"/>(<see cref="L1Strength"/>).</summary>
    public IList<ScheduleObjective>? Objectives { get; set; }

    /// <summary>lambda of the default L1 objective, lambda x ||W||_1. Default 0.01.</summary>
    public double L1Strength { get; set; } = 0.01;

    /// <summary>Student steps between two rewards (validation measurements). Default 20.</summary>
    public int RewardEvery { get; set; } = 20;

    /// <summary>What the reward (and the validation entry of s_t) measures on classification tasks. Default
    /// <see cref="ScheduleClassificationReward.CalibratedLogLoss"/>. Ignored for regression (validation MSE).</summary>
    public ScheduleClassificationReward ClassificationReward { get; set; } = ScheduleClassificationReward.CalibratedLogLoss;

    /// <summary>gamma of the controller's segment returns G_k = sum_{j &gt;= k} gamma^(j - k) r_j. 1 (default): every
    /// decision is credited with the validation-loss improvement from its segment to the end of the episode, so an
    /// objective whose benefit shows late (an L1 step) is judged by the final validation loss; 0: by its own segment's
    /// improvement alone (greedy). Values in (0, 1) shorten the horizon.</summary>
    public double RewardDiscount { get; set; } = 1;

    /// <summary>Episodes whose decisions are credited together, each against the mean return of the others (a
    /// leave-one-out baseline from the same policy), then take one REINFORCE step; 1 credits every episode against
    /// moving per-segment baselines. Default 8. A partial group at the end of the training episodes is credited too.
    /// Values above 1 need <see cref="RewardDiscount"/> &gt; 0.</summary>
    public int EpisodesPerUpdate { get; set; } = 8;

    /// <summary>Whether the episodes of a group (<see cref="EpisodesPerUpdate"/>) train the same student: the same
    /// initialisation and batch order, so their returns differ only by the controller's choices and the leave-one-out
    /// baseline compares schedules rather than initialisations (common random numbers); groups start from different
    /// students. Default false. No effect when EpisodesPerUpdate is 1. The L1 classification benchmark turns it on
    /// (with ControllerLearningRate 0.02); the regression benchmark keeps it off (on, with the classification settings,
    /// it was no better over 5 seeds).</summary>
    public bool PairedEpisodes { get; set; }

    /// <summary>Width of the controller's two hidden layers. Default 16 (the authors').</summary>
    public int ControllerHiddenSize { get; set; } = 16;

    /// <summary>Softmax temperature of the controller. Default 2 (the authors').</summary>
    public double Temperature { get; set; } = 2;

    /// <summary>Adam learning rate of the controller (one step per reward with <see cref="RewardDiscount"/> 0, one per
    /// group of <see cref="EpisodesPerUpdate"/> episodes otherwise). Default 0.05.</summary>
    public double ControllerLearningRate { get; set; } = 0.05;

    /// <summary>beta of the controller's entropy bonus (<see cref="ScheduleController.EnableLearning"/>): each REINFORCE step
    /// also raises the entropy of pi(. | s_t), pulling the choices back towards uniform wherever the validation rewards do
    /// not clearly favour an objective. Default 0 (plain REINFORCE).</summary>
    public double EntropyBonus { get; set; }

    /// <summary>sigma of the controller's episode-level exploration (<see cref="ScheduleController.EpisodeExploration"/>):
    /// each training episode samples its choices under one random logit offset (sigma x N(0, I), in antithetic pairs), so
    /// the episodes of a group try clearly different mixes of objectives, and the controller's output bias moves towards
    /// the offsets whose episodes ended with the better validation loss. Default 0 (the paper's step-level sampling alone).
    /// Above 0 needs <see cref="EpisodesPerUpdate"/> &gt;= 2 (an even number keeps the antithetic pairs in one group).
    /// The final student and a <see cref="PretrainedController"/> choose without offset.</summary>
    public double EpisodeExploration { get; set; }

    /// <summary>How the controller chooses while it learns. Default <see cref="ScheduleChoiceRendering.Sample"/>: every step
    /// samples, and REINFORCE learns theta from the sampled choices (the paper's). <see cref="ScheduleChoiceRendering.Balanced"/>
    /// renders each episode's choices deterministically from softmax(f_theta(s_t) / T + z), so an episode's validation loss
    /// depends on its mix, not on which steps the dice picked; the controller then learns through
    /// <see cref="EpisodeExploration"/> alone (its output bias, i.e. the mix; needs EpisodeExploration &gt; 0).</summary>
    public ScheduleChoiceRendering LearningChoices { get; set; }

    /// <summary>How the controller chooses when it is not learning: while the final student trains (after the episodes,
    /// unless <see cref="EpisodicLossOptions{TArtefact}.LearnDuringFinalStudent"/>) and with a <see cref="PretrainedController"/>. Default
    /// <see cref="ScheduleChoiceRendering.Sample"/> (the paper's). <see cref="ScheduleChoiceRendering.Balanced"/> gives the
    /// policy's mix of objectives without sampling noise, deterministically.</summary>
    public ScheduleChoiceRendering FrozenChoices { get; set; }

    /// <summary>A saved controller (<see cref="ScheduleController.Load(string)"/>) to schedule with, frozen, instead
    /// of learning one (no episodes): the paper's transfer to new data. Its choices must match the objectives (by name when
    /// it was saved with them: the same L1Strength or Objectives it was trained with), and <see cref="RewardEvery"/> the
    /// one it learned with (when it records it: <see cref="ScheduleController.RewardEvery"/>).
    /// Not disposed by the run.</summary>
    public ScheduleController? PretrainedController { get => Pretrained; set => Pretrained = value; }

    /// <summary>Raised after every student (episodes and final) with its validation loss and choice shares.</summary>
    public event Action<ScheduleEpisodeReport>? EpisodeCompleted;

    /// <summary>Raised when a run that learned a controller ends, with the copy the run hands back (the fitted
    /// model's <c>LearnedLoss</c>, which the model owns and disposes; a search trial disposes it when the trial ends):
    /// clone it to keep it. Raised on the thread that trains, which for parallel search trials is a pool thread.</summary>
    public event Action<ScheduleController>? ControllerTrained
    {
        add => Trained += value;
        remove => Trained -= value;
    }

    /// <inheritdoc />
    protected override string PretrainedOptionName => nameof(PretrainedController);

    /// <inheritdoc />
    public override bool RequiresValidationData => true;

    /// <summary>The objectives in use.</summary>
    public IReadOnlyList<ScheduleObjective> ResolveObjectives() =>
        Objectives is null ? [ScheduleObjective.TaskLoss, ScheduleObjective.L1Penalty(L1Strength)] : [.. Objectives];

    /// <summary>A fresh, frozen controller shaped for these options: state size and choices for the objectives,
    /// <see cref="ControllerHiddenSize"/>, <see cref="Temperature"/>, the objectives' names and <see cref="RewardEvery"/>.
    /// Its weights come from the global TorchSharp generator (seed it first). With <see cref="LearningChoices"/> = Balanced
    /// its output weights start at 0: only the output bias learns then, so the policy starts uniform in every state
    /// rather than with a random dependence on the state that learning could never correct.</summary>
    public ScheduleController CreateController()
    {
        var objectives = ResolveObjectives();
        return new ScheduleController(StateSize(objectives.Count), objectives.Count, ControllerHiddenSize, Temperature, [.. objectives.Select(o => o.Name)],
            initialOutputScale: LearningChoices == ScheduleChoiceRendering.Balanced ? 0 : 0.1)
        {
            RewardEvery = RewardEvery,
        };
    }

    /// <summary>Values in the controller's state for <paramref name="objectives"/> objectives.</summary>
    public static int StateSize(int objectives) => 2 + 2 * objectives;

    /// <inheritdoc />
    public override void Validate(TrainingTask task, string optionName)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (Objectives is { Count: 0 })
            throw new ArgumentException($"{optionName}.Objectives is empty; give at least two objectives to schedule (e.g. ScheduleObjective.TaskLoss and ScheduleObjective.L1Penalty(0.01)), or null for those defaults.", optionName);
        if (Objectives is { Count: 1 })
            throw new ArgumentException($"{optionName}.Objectives has one objective; a schedule chooses among at least two (add ScheduleObjective.L1Penalty(0.01) or an auxiliary objective).", optionName);
        if (Objectives is not null && Objectives.Any(o => o is null))
            throw new ArgumentException($"{optionName}.Objectives contains null.", optionName);
        if (Objectives is null && (!(L1Strength > 0) || !double.IsFinite(L1Strength)))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.L1Strength is {L1Strength}; it must be a positive number (e.g. 0.01).");
        ValidateEpisodes(optionName);
        if (RewardEvery <= 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.RewardEvery is {RewardEvery}; it must be positive (e.g. 20).");
        if (!(RewardDiscount >= 0 && RewardDiscount <= 1))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.RewardDiscount is {RewardDiscount}; it must be in [0, 1] (1: credit the final validation loss, 0: each segment's own improvement).");
        if (EpisodesPerUpdate < 1 || (EpisodesPerUpdate > 1 && RewardDiscount == 0))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.EpisodesPerUpdate is {EpisodesPerUpdate}; it must be >= 1, and 1 when RewardDiscount is 0.");
        if (!Enum.IsDefined(ClassificationReward))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.ClassificationReward is {(int)ClassificationReward}; use CalibratedLogLoss or LogLoss.");
        if (ControllerHiddenSize <= 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.ControllerHiddenSize is {ControllerHiddenSize}; it must be positive (e.g. 16).");
        if (!(Temperature > 0) || !double.IsFinite(Temperature))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.Temperature is {Temperature}; it must be a positive number (e.g. 2).");
        if (!(ControllerLearningRate > 0) || !double.IsFinite(ControllerLearningRate))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.ControllerLearningRate is {ControllerLearningRate}; it must be a positive number (e.g. 0.01).");
        if (!(EntropyBonus >= 0) || !double.IsFinite(EntropyBonus))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.EntropyBonus is {EntropyBonus}; it must be a finite number >= 0 (0: none, e.g. 0.1).");
        if (!(EpisodeExploration >= 0) || !double.IsFinite(EpisodeExploration))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.EpisodeExploration is {EpisodeExploration}; it must be a finite number >= 0 (0: none, e.g. 0.5).");
        if (EpisodeExploration > 0 && EpisodesPerUpdate < 2)
            throw new ArgumentException($"{optionName}.EpisodeExploration is {EpisodeExploration} but EpisodesPerUpdate is {EpisodesPerUpdate}; the offsets are compared within a group, so set EpisodesPerUpdate >= 2 (e.g. 16) or EpisodeExploration to 0.", optionName);
        if (!Enum.IsDefined(LearningChoices))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.LearningChoices is {(int)LearningChoices}; use Sample or Balanced.");
        if (LearningChoices == ScheduleChoiceRendering.Balanced && EpisodeExploration == 0 && PretrainedController is null)
            throw new ArgumentException($"{optionName}.LearningChoices is Balanced but EpisodeExploration is 0: without sampled choices the controller learns only through its episode offsets; set EpisodeExploration (e.g. 0.5) or LearningChoices = Sample.", optionName);
        if (!Enum.IsDefined(FrozenChoices))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.FrozenChoices is {(int)FrozenChoices}; use Sample or Balanced.");
        int objectives = Objectives?.Count ?? 2;
        if (PretrainedController is { } pre && (pre.Choices != objectives || pre.StateSize != StateSize(objectives)))
            throw new ArgumentException($"{optionName}.PretrainedController chooses among {pre.Choices} objectives but {objectives} are given; use a controller trained with the same objectives.", optionName);
        if (PretrainedController is { ChoiceNames: { } learned })
        {
            var names = ResolveObjectives().Select(o => o.Name).ToArray();
            if (!learned.SequenceEqual(names))
                throw new ArgumentException($"{optionName}.PretrainedController learned to choose among [{string.Join(", ", learned)}] but the objectives are [{string.Join(", ", names)}]; " +
                                            "give the same Objectives (or the same L1Strength) it was trained with.", optionName);
        }
        if (PretrainedController is { RewardEvery: { } cadence } && cadence != RewardEvery)
            throw new ArgumentException($"{optionName}.PretrainedController learned with RewardEvery {cadence} but RewardEvery is {RewardEvery}; set RewardEvery to {cadence}: " +
                                        "its state's validation entry and choice shares refresh at that cadence.", optionName);
    }

    /// <inheritdoc />
    public override ILossTeacher CreateTeacher(TrainingTask task)
    {
        Validate(task, "Loss");
        return new ScheduleTeacher(this, task);
    }

    internal void OnEpisode(ScheduleEpisodeReport report) => EpisodeCompleted?.Invoke(report);


    /// <inheritdoc />
    public override string ToString() =>
        $"AutoLoss schedule over [{string.Join(", ", ResolveObjectives().Select(o => o.Name))}]" +
        (PretrainedController is not null ? " (pretrained controller, frozen)" : $" ({TeacherEpisodes} episodes)");
}
