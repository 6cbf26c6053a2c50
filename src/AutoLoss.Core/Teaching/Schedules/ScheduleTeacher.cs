using AutoLoss.Core.Data;
using AutoLoss.Core.Metrics;
using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.Schedules;

/// <summary>
/// The <see cref="ILossTeacher"/> of <see cref="ScheduleLossOptions"/>: at every step it evaluates every objective
/// (for the state), asks the controller which one to step on and returns it; every RewardEvery steps it measures the
/// validation loss, rewards the controller with the relative improvement and (while learning) takes a REINFORCE step.
/// </summary>
internal sealed class ScheduleTeacher(ScheduleLossOptions options, TrainingTask task) : ILossTeacher
{
    private readonly IReadOnlyList<ScheduleObjective> _objectives = options.ResolveObjectives();
    private TeachingContext _context = null!;
    private InMemoryDataset _validation = null!;
    private ScheduleController _controller = null!;
    private Random _random = new(0);
    private bool _learn, _learningNow;
    private StudentRun _run = new(0, true, 1);
    private double[] _first = [], _recent = [];
    private int[] _windowChoices = [], _totalChoices = [];
    private double _firstValidation, _lastValidation;
    private int _stepsSinceReward;
    private BalancedChoices? _balanced;

    public void Begin(TeachingContext context)
    {
        _context = context;
        _validation = context.Validation is { Count: > 0 } v ? v
            : throw new ArgumentException("An AutoLoss schedule rewards its controller with the validation loss; set ValidationFraction (e.g. 0.1) or ValidationData.", "Loss");
        _random = new Random(context.Seed ^ 0x5C4E_D01E);
        if (options.PretrainedController is { } pre)
        {
            _controller = pre.Clone();
            _learn = false;
        }
        else
        {
            _controller = TorchSeeding.Run(context.Seed + 48_611, options.CreateController);
            _controller.EnableLearning(options.ControllerLearningRate, options.RewardDiscount, options.EpisodesPerUpdate, options.EntropyBonus, options.EpisodeExploration);
            _learn = true;
        }
        context.Log($"AutoLoss schedule over [{string.Join(", ", _objectives.Select(o => o.Name))}]: {_controller}, reward every {options.RewardEvery} steps.");
    }

    public int TeacherEpisodes => _learn ? options.TeacherEpisodes : 0;

    public int EpisodeEpochs => options.EpisodeEpochs ?? _context.Epochs;

    public int EpisodesPerSeed => options.PairedEpisodes ? options.EpisodesPerUpdate : 1;

    public void BeginStudent(StudentRun run)
    {
        _run = run;
        _learningNow = _learn && !run.IsRefit && (!run.IsFinal || options.LearnDuringFinalStudent);
        int k = _objectives.Count;
        _first = new double[k];
        _recent = new double[k];
        _windowChoices = new int[k];
        _totalChoices = new int[k];
        _firstValidation = _lastValidation = double.NaN;
        _stepsSinceReward = 0;
        var rendering = _learningNow ? options.LearningChoices : options.FrozenChoices;
        _balanced = rendering == ScheduleChoiceRendering.Balanced ? new BalancedChoices(k) : null;
        if (_learningNow) _controller.BeginEpisode(_random);
    }

    public Tensor ComputeLoss(StudentState state)
    {
        if (double.IsNaN(_firstValidation))
            _firstValidation = _lastValidation = ValidationLoss(state.Student);
        if (_stepsSinceReward == options.RewardEvery)
            RewardSegment(state.Student);

        var values = _objectives.Select(o => o.Evaluate(state, task)).ToArray();
        for (int j = 0; j < values.Length; j++)
        {
            double v = values[j].item<float>();
            if (!double.IsFinite(v))
                throw new InvalidOperationException($"Objective '{_objectives[j].Name}' became {v} at step {state.Step + 1}; lower LearningRate or check the objective.");
            if (_totalChoices.Sum() == 0 && _stepsSinceReward == 0 && _first[j] == 0) _first[j] = Math.Abs(v) + 1e-8;
            _recent[j] = _recent[j] == 0 ? v : 0.9 * _recent[j] + 0.1 * v;
        }
        int choice = _balanced is null ? _controller.Choose(State(state.Progress), _random) : _balanced.Next(_controller.EpisodeProbabilities(State(state.Progress)));
        _windowChoices[choice]++;
        _totalChoices[choice]++;
        _stepsSinceReward++;
        for (int j = 0; j < values.Length; j++)
            if (j != choice) values[j].Dispose();
        return values[choice];
    }

    /// <summary>s_t (see <see cref="ScheduleLossOptions"/>).</summary>
    private float[] State(double progress)
    {
        int k = _objectives.Count;
        var s = new float[ScheduleLossOptions.StateSize(k)];
        s[0] = (float)progress;
        for (int j = 0; j < k; j++)
            s[1 + j] = (float)Math.Clamp(Math.Log(Math.Max(Math.Abs(_recent[j]), 1e-12) / _first[j]), -5, 5);
        s[1 + k] = (float)Math.Clamp(Math.Log(Math.Max(_lastValidation, 1e-12) / Math.Max(_firstValidation, 1e-12)), -5, 5);
        int window = Math.Max(1, _windowChoices.Sum());
        for (int j = 0; j < k; j++) s[2 + k + j] = _windowChoices[j] / (float)window;
        return s;
    }

    private void RewardSegment(nn.Module<Tensor, Tensor> student)
    {
        double now = ValidationLoss(student);
        double reward = (_lastValidation - now) / Math.Max(_firstValidation, 1e-12);
        _lastValidation = now;
        _stepsSinceReward = 0;
        Array.Clear(_windowChoices);
        if (!_learningNow) return;
        _controller.Reward(reward);
        _controller.Learn();
    }

    private double ValidationLoss(nn.Module<Tensor, Tensor> student) =>
        task is ClassificationTask && options.ClassificationReward == ScheduleClassificationReward.CalibratedLogLoss
            ? ValidationMetrics.CalibratedLogLoss(student, _validation)
            : ValidationMetrics.Measure(student, _validation, [task.Metric(task.ValidationLossMetric, "Loss")])[0];

    public void AfterStep(StepOutcome outcome) { }

    public void AfterEpoch(EpochSummary summary) { }

    public void EndStudent(StudentRun run, EpochSummary last)
    {
        if (_learningNow)
        {
            _controller.EndEpisode();
            // The last training episode credits a partial group too, so every episode counts.
            bool lastTraining = !run.IsFinal && run.Episode == options.TeacherEpisodes - 1;
            if (lastTraining) _controller.FlushEpisodes();
            _controller.Learn();   // with a discount, the episode's segments are credited only now
            if (lastTraining) _controller.SettleExploration();
        }
        double total = Math.Max(1, _totalChoices.Sum());
        var shares = _totalChoices.Select(n => n / total).ToArray();
        double validation = last.ValidationLoss ?? _lastValidation;
        string what = run.IsRefit ? "refit student" : run.IsFinal ? "final student" : $"episode {run.Episode + 1} of {options.TeacherEpisodes}";
        _context.Log($"AutoLoss schedule, {what}: validation loss {validation:G5}; steps on " +
                     string.Join(", ", _objectives.Select((o, j) => $"{o.Name} {shares[j]:P1}")) + $"; {_controller.Updates} controller updates.");
        options.OnEpisode(new ScheduleEpisodeReport(run.Episode, run.IsFinal, validation, shares, _controller.Updates));
    }

    public ILearnedLoss? TakeLearned() => _learn && _controller is not null ? options.OnTrained(_controller.Clone()) : null;

    public void Dispose() => _controller?.Dispose();
}
