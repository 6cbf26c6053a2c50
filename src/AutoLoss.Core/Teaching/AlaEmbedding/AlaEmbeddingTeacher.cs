using AutoLoss.Core.Data;
using AutoLoss.Core.Teaching.Ala;
using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.AlaEmbedding;

/// <summary>
/// The <see cref="ILossTeacher"/> of <see cref="AlaEmbeddingLossOptions"/> (Algorithm 1, online, on an embedding loss
/// family): every K steps of the run's student it closes every child's window (discounted validation metric, reward,
/// experiences into the replay memory), takes REINFORCE steps on theta, samples each child's next move of every
/// element of Phi, and starts the side children's next K steps. A refit student replays the final student's Phi_t.
/// </summary>
internal sealed class AlaEmbeddingTeacher(AlaEmbeddingLossOptions options) : ILossTeacher
{
    private const int ControllerFeatures = 3;   // progress, metric, metric change, after the family's element features

    private readonly AlaEmbeddingLossFamily _family = options.Family;
    private readonly List<AlaEmbeddingChild> _children = [];
    private readonly List<(double Progress, double[] Phi)> _trajectory = [];
    private TeachingContext _context = null!;
    private AlaPolicyModel? _policy, _learned;
    private AlaPolicyLearner? _learner;
    private InMemoryDataset _validation = null!;
    private Random _random = new(0);
    private StudentRun _run = new(0, true, 1);
    private int _stepInWindow, _decisions, _replayed = -1;

    private AlaEmbeddingChild Main => _children[0];

    private int CheckInterval => Math.Max(1, options.StepsPerAction / options.ValidationChecksPerAction);

    public void Begin(TeachingContext context)
    {
        _context = context;
        _validation = context.Validation is { Count: > 1 } v ? v
            : throw new ArgumentException("ALA reads its state and reward from validation data; set ValidationFraction (e.g. 0.1) or ValidationData.", "Loss");
        if (options.Children > 1 && context.CreateSideStudent is null)
            throw new NotSupportedException($"Loss.Children is {options.Children}, but this host cannot create side students; set Children to 1.");
        _random = new Random(context.Seed ^ 0x0A1A_E3BD);
        bool learn = options.PretrainedPolicy is null || options.ContinueLearning;
        _policy = options.PretrainedPolicy is { } pre
            ? pre.Clone().To(context.Device)
            : TorchSeeding.Run(context.Seed + 104_729, () =>
                new AlaPolicyModel(AlaPolicyKind.ElementShared, Math.Max(2, _family.Size), options.PolicyHiddenSize, options.InitialKeepProbability).To(context.Device));
        if (_policy.InputSize != AlaEmbeddingLossFamily.ElementFeatureCount + ControllerFeatures)
            throw new InvalidOperationException($"An element-shared policy reads {_policy.InputSize} values per element; the embedding teacher writes {AlaEmbeddingLossFamily.ElementFeatureCount + ControllerFeatures}.");
        _learner = new AlaPolicyLearner(_policy, context.Device, learn ? options.PolicyLearningRate : 0, options.BaselineDecay, options.EntropyWeight, options.ReplayCapacity);
        _children.Add(new AlaEmbeddingChild(_family, side: null, context.Seed + 7_919));
        for (int k = 1; k < options.Children; k++)
        {
            int seed = unchecked(context.Seed + 15_485_863 * k);
            _children.Add(new AlaEmbeddingChild(_family, context.CreateSideStudent!(seed), seed + 7_919));
        }
        context.Log($"ALA on {_family.Name}: {options.Children} child model(s), {_policy}, rewarded by validation {options.RewardMetric.Name} on {_validation.Count} rows, " +
                    $"a decision every {options.StepsPerAction} steps.");
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
            Main.Checkpoints.Add(Measure(state.Student).Metric);
        return Main.Loss(state);
    }

    /// <summary>The refit student replays the final student's Phi_t trajectory by training progress.</summary>
    private Tensor Replay(StudentState state)
    {
        while (_replayed + 1 < _trajectory.Count && _trajectory[_replayed + 1].Progress <= state.Progress)
        {
            _replayed++;
            Array.Copy(_trajectory[_replayed].Phi, Main.Phi, Main.Phi.Length);
        }
        return Main.Loss(state);
    }

    public void AfterStep(StepOutcome outcome) => _stepInWindow = (_stepInWindow + 1) % options.StepsPerAction;

    public void AfterEpoch(EpochSummary summary) { }

    public ILearnedLoss? TakeLearned()
    {
        var learned = _learned;
        _learned = null;
        if (learned is not null) options.OnPolicyTrained(learned);
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

    private EmbeddingValidationStatistics Measure(nn.Module<Tensor, Tensor> student) =>
        EmbeddingValidationStatistics.Measure(student, _validation, options.RewardMetric, _family.StatisticsBins);

    /// <summary>A decision point: close every child's window, learn, act, and restart the side children.</summary>
    private void Decide(StudentState state)
    {
        Main.Latest = Measure(state.Student);
        Main.Checkpoints.Add(Main.Latest.Metric);
        WaitForSides();
        foreach (var child in _children.Where(c => c.Latest is null))
        {
            child.Latest = Measure(child.Side!.Module);   // a side child's first state, at its initialisation
            child.Checkpoints.Add(child.Latest.Metric);
        }

        var closed = new List<(AlaDecision Decision, double Reward)>();
        double mainReward = 0;
        foreach (var child in _children)
        {
            double window = AlaReward.DiscountedWindow(child.Checkpoints, options.Gamma);
            child.Checkpoints.Clear();
            if (child.Pending is { } decision && child.WindowMetric is { } previous)
            {
                double reward = AlaReward.Sign(previous, window, options.RewardMetric.HigherIsBetter);
                closed.Add((decision, reward));
                if (child == Main) mainReward = reward;
            }
            child.WindowMetric = window;
        }
        _learner!.Learn(closed, options.Baseline, options.PolicyUpdatesPerAction, options.ReplayBatchSize, _random);

        double beta = options.ResolveStep(), change = 0;
        foreach (var child in _children)
        {
            var (inputs, rows, targets) = Inputs(child, state.Progress);
            var decision = new AlaDecision(inputs, rows, _learner.Sample(inputs, rows, _random), targets);
            change += child.Apply(decision, beta);
            child.Pending = decision;
            child.Previous = child.Latest;
        }
        var report = new AlaEmbeddingActionReport(_decisions++, state.Step, state.Progress, mainReward, closed.Count > 0 ? closed.Average(c => c.Reward) : 0,
            _learner.Baseline, Main.Latest.Metric, (double[])Main.Phi.Clone());
        _context.Log($"ALA decision {report.Action + 1} at step {state.Step}: reward {report.Reward:+0;-0;0} (children mean {report.MeanReward:F2}), validation " +
                     $"{options.RewardMetric.Name} {report.Metric:P2}, mean |dPhi| {change / (_children.Count * _family.Size):G3}, Phi [{string.Join(", ", Main.Phi.Select(p => p.ToString("F2")))}].");
        options.OnAction(report);
        _trajectory.Add((state.Progress, (double[])Main.Phi.Clone()));
        StartSides();
    }

    /// <summary>One policy row per element of Phi: the family's description, then progress, the metric and its change.</summary>
    private (float[] Inputs, int Rows, int[,] Targets) Inputs(AlaEmbeddingChild child, double progress)
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

    private void StartSides()
    {
        foreach (var child in _children.Where(c => c.Side is not null))
        {
            var c = child;
            c.Running = AlaSideWindow.Start(c.Side!, options.StepsPerAction, CheckInterval, _run.Epochs, c.Loss, () =>
            {
                c.Latest = Measure(c.Side!.Module);
                c.Checkpoints.Add(c.Latest.Metric);
            }, options.RunChildrenConcurrently, _context.CancellationToken);
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

    public void Dispose()
    {
        foreach (var child in _children) child.Dispose();
        _children.Clear();
        _learner?.Dispose();
        _policy?.Dispose();
        _learned?.Dispose();
    }
}
