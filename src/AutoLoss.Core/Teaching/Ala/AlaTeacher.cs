using AutoLoss.Core.Training;
using AutoLoss.Core.Data;
using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.Ala;

/// <summary>
/// The <see cref="ILossTeacher"/> of <see cref="AlaLossOptions"/> (Algorithm 1, online): every K steps of the run's
/// student it closes the window of every child (discounted validation metric, reward, experiences into the replay
/// memory), takes REINFORCE steps on theta, samples each child's next action from pi_theta(s_t), and starts the
/// side children's next K steps, on other threads when allowed, while the loop trains the run's student.
/// </summary>
internal sealed class AlaTeacher : ILossTeacher
{
    private readonly AlaLossOptions _options;
    private readonly int _classes;
    private readonly bool _binary;
    private readonly List<AlaChild> _children = [];
    private TeachingContext _context = null!;
    private AlaMetric _metric = AlaMetric.ErrorRate;
    private AlaPolicyModel? _policy;
    private AlaPolicyModel? _learned;   // the final student's policy, until TakeLearned hands it over
    private AlaPolicyLearner? _learner;
    private InMemoryDataset _validation = null!;
    private Random _random = new(0);
    private int _stepInWindow, _decisions;
    private StudentRun _run = new(0, true, 1);
    private readonly List<(double Progress, double[,] Phi)> _trajectory = [];
    private int _replayed = -1;

    public AlaTeacher(AlaLossOptions options, int numberOfClasses, bool binary)
    {
        _options = options;
        _classes = numberOfClasses;
        _binary = binary;
    }

    private AlaChild Main => _children[0];

    private int CheckInterval => Math.Max(1, _options.StepsPerAction / _options.ValidationChecksPerAction);

    public void Begin(TeachingContext context)
    {
        _context = context;
        _validation = context.Validation is { Count: > 0 } v ? v
            : throw new ArgumentException("ALA reads its state and reward from validation data; set ValidationFraction (e.g. 0.1) or ValidationData.", "Loss");
        _metric = _options.Metric ?? (_binary ? AlaMetric.AreaUnderPrecisionRecallCurve : AlaMetric.ErrorRate);
        if (_options.Children > 1 && context.CreateSideStudent is null)
            throw new NotSupportedException($"Loss.Children is {_options.Children}, but this host cannot create side students; set Children to 1.");
        _random = new Random(context.Seed ^ 0x0A1A_5EED);
        bool learn = _options.PretrainedPolicy is null || _options.ContinueLearning;
        if (_options.PretrainedPolicy is { } pre)
            _policy = pre.Clone().To(context.Device);
        else
        {
            _policy = TorchSeeding.Run(context.Seed + 104_729, () =>
                new AlaPolicyModel(_options.Policy, _classes, _options.PolicyHiddenSize, _options.InitialKeepProbability).To(context.Device));
        }
        _learner = new AlaPolicyLearner(_policy, context.Device, learn ? _options.PolicyLearningRate : 0,
            _options.BaselineDecay, _options.EntropyWeight, _options.ReplayCapacity);
        var phi0 = _options.ResolveInitialPhi(_classes, _binary);
        double scale = _options.ResolveLossScale(phi0, _binary);
        _children.Add(new AlaChild(phi0, scale, context.Device, side: null));
        for (int k = 1; k < _options.Children; k++)
            _children.Add(new AlaChild(phi0, scale, context.Device, context.CreateSideStudent!(unchecked(context.Seed + 15_485_863 * k))));
        context.Log($"ALA: {_options.Children} child model(s), {_policy}, aligning to {_metric.Name} on {_validation.Count} validation rows, loss scale {scale:G4}, " +
                    $"a decision every {_options.StepsPerAction} steps.");
    }

    public void BeginStudent(StudentRun run)
    {
        _run = run;
        _stepInWindow = 0;
        _replayed = -1;
    }

    public Tensor ComputeLoss(StudentState state)
    {
        if (_run.IsRefit)
            return Replay(state);
        if (_stepInWindow == 0)
            Decide(state);
        else if (_stepInWindow % CheckInterval == 0)
            Main.Checkpoints.Add(AlaValidationView.Measure(state.Student, _validation, _metric, _classes).Metric);
        return Main.Loss(state);
    }

    /// <summary>The refit student replays the final student's Phi_t trajectory by training progress (the
    /// controller cannot act: its state and reward came from rows the refit student trains on).</summary>
    private Tensor Replay(StudentState state)
    {
        int at = _replayed;
        while (at + 1 < _trajectory.Count && _trajectory[at + 1].Progress <= state.Progress) at++;
        if (at != _replayed && at >= 0)
        {
            Main.SetPhi(_trajectory[at].Phi);
            _replayed = at;
        }
        return Main.Loss(state);
    }

    public void AfterStep(StepOutcome outcome) => _stepInWindow = (_stepInWindow + 1) % _options.StepsPerAction;

    public void AfterEpoch(EpochSummary summary) { }

    public ILearnedLoss? TakeLearned()
    {
        var learned = _learned;
        _learned = null;
        if (learned is not null) _options.OnPolicyTrained(learned);
        return learned;
    }

    public void EndStudent(StudentRun run, EpochSummary last)
    {
        WaitForSides();
        if (run.IsFinal && !run.IsRefit && _learner!.Learns)
        {
            _learned?.Dispose();
            _learned = _policy!.Clone();
        }
    }

    /// <summary>A decision point: close every child's window, learn, act, and restart the side children.</summary>
    private void Decide(StudentState state)
    {
        var view = AlaValidationView.Measure(state.Student, _validation, _metric, _classes);
        Main.Checkpoints.Add(view.Metric);
        Main.Latest = view;
        WaitForSides();
        foreach (var child in _children.Where(c => c.Latest is null))
        {
            // A side child's first state: measured at its initialisation, like the run's student.
            child.Latest = AlaValidationView.Measure(child.Side!.Module, _validation, _metric, _classes);
            child.Checkpoints.Add(child.Latest.Metric);
        }

        // Rewards r_{t-1} = sign(M_{t-1} - M_t) for the windows just closed.
        var closed = new List<(AlaChild Child, AlaDecision Decision, double Reward)>();
        foreach (var child in _children)
        {
            double windowMetric = AlaReward.DiscountedWindow(child.Checkpoints, _options.Gamma);
            child.Checkpoints.Clear();
            if (child.Pending is { } decision && child.WindowMetric is { } previous)
                closed.Add((child, decision, AlaReward.Sign(previous, windowMetric, _metric.HigherIsBetter)));
            child.WindowMetric = windowMetric;
        }
        var rewards = closed.Select(c => c.Reward).ToList();
        double mainReward = closed.Where(c => c.Child == Main).Select(c => c.Reward).FirstOrDefault();
        _learner!.Learn(closed.Select(c => (c.Decision, c.Reward)).ToList(), _options.Baseline, _options.PolicyUpdatesPerAction, _options.ReplayBatchSize, _random);

        // Actions a_t ~ pi_theta(s_t) for every child.
        double change = 0;
        int elements = 0;
        foreach (var child in _children)
        {
            var (inputs, rows, targets) = _policy!.Inputs(child.Latest!.Confusion, child.PreviousConfusion, child.Phi, state.Progress);
            var decision = new AlaDecision(inputs, rows, _learner.Sample(inputs, rows, _random), targets);
            change += child.Apply(decision, _options.Beta, _options.MinimumDiagonal, _options.MaximumDiagonal, _options.MaximumOffDiagonal);
            elements += _classes * _classes;
            child.Pending = decision;
            child.PreviousConfusion = child.Latest.Confusion;
        }
        var report = new AlaActionReport(_decisions++, state.Step, state.Progress, mainReward, rewards.Count > 0 ? rewards.Average() : 0,
            _learner.Baseline, view.Metric, change / elements, MeanDiagonal(Main.Phi), MeanOffDiagonal(Main.Phi));
        _context.Log($"ALA decision {report.Action + 1} at step {state.Step}: reward {report.Reward:+0;-0;0} (children mean {report.MeanReward:F2}, baseline {report.Baseline:F2}), " +
                     $"validation {_metric.Name} {report.Metric:G4}, mean |dPhi| {report.MeanAbsolutePhiChange:G3}, Phi diagonal {report.MeanDiagonal:F3}, off-diagonal {report.MeanOffDiagonal:F4}.");
        _options.OnAction(report);
        _trajectory.Add((state.Progress, (double[,])Main.Phi.Clone()));
        StartSides();
    }

    /// <summary>Runs each side child's next K steps with its new Phi, measuring at the same points as the run's student.</summary>
    private void StartSides()
    {
        foreach (var child in _children.Where(c => c.Side is not null))
        {
            var c = child;
            c.Running = AlaSideWindow.Start(c.Side!, _options.StepsPerAction, CheckInterval, _run.Epochs, c.Loss, () =>
            {
                c.Latest = AlaValidationView.Measure(c.Side!.Module, _validation, _metric, _classes);
                c.Checkpoints.Add(c.Latest.Metric);
            }, _options.RunChildrenConcurrently, _context.CancellationToken);
        }
    }

    private void WaitForSides()
    {
        foreach (var child in _children)
        {
            var running = child.Running;
            child.Running = null;
            AlaSideWindow.Wait(running);
        }
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

    public void Dispose()
    {
        foreach (var child in _children) child.Dispose();
        _children.Clear();
        _learner?.Dispose();
        _policy?.Dispose();
        _learned?.Dispose();
    }
}
