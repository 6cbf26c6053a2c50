using AutoLoss.Core.Data;
using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.Ala;

/// <summary>
/// Algorithm 1 of ALA, online, for any loss family: every K steps of the run's student it closes the window of every
/// child (discounted validation metric, reward r = sign of its change, experiences into the replay memory), takes
/// REINFORCE steps on theta, samples each child's next action from pi_theta(s_t), and starts the side children's next K
/// steps, on other threads when allowed, while the loop trains the run's student. A refit student replays the final
/// student's Phi_t by training progress (the controller cannot act: its state and reward came from rows the refit
/// student trains on). The family supplies the children, the measurements, the policy's input rows and the action's effect.
/// </summary>
internal abstract class AlaTeacherBase<TChild, TPhi>(AlaControllerOptions options, AlaPolicyModel? pretrained) : ILossTeacher
    where TChild : AlaChildBase<TPhi>
{
    private readonly List<(double Progress, TPhi Phi)> _trajectory = [];
    private AlaPolicyModel? _learned;   // the final student's policy, until TakeLearned hands it over
    private int _stepInWindow, _replayed = -1;

    protected List<TChild> Children { get; } = [];

    protected TChild Main => Children[0];

    protected TeachingContext Context { get; private set; } = null!;

    protected InMemoryDataset Validation { get; private set; } = null!;

    protected AlaPolicyModel Policy { get; private set; } = null!;

    protected AlaPolicyLearner Learner { get; private set; } = null!;

    protected Random Random { get; private set; } = new(0);

    protected StudentRun Run { get; private set; } = new(0, true, 1);

    protected int Decisions { get; set; }

    private int CheckInterval => Math.Max(1, options.StepsPerAction / options.ValidationChecksPerAction);

    /// <summary>The seed of side child <paramref name="k"/> (1-based): its own initialisation and batch order.</summary>
    protected int SideSeed(int k) => unchecked(Context.Seed + 15_485_863 * k);

    /// <summary>Salt of the run seed for the controller's sampling.</summary>
    protected abstract int RandomSalt { get; }

    /// <summary>True when larger values of the reward metric are better.</summary>
    protected abstract bool HigherIsBetter { get; }

    /// <summary>A fresh policy (created under the run's torch seed).</summary>
    protected abstract AlaPolicyModel CreatePolicy();

    /// <summary>Adds the run's student (first) and the side children, and logs the set-up.</summary>
    protected abstract void AddChildren(TeachingContext context);

    /// <summary>Measures <paramref name="student"/> on the validation rows: its metric only.</summary>
    protected abstract double MeasureMetric(nn.Module<Tensor, Tensor> student);

    /// <summary>Measures <paramref name="student"/> as <paramref name="child"/>'s new state and adds its metric to the window.</summary>
    protected abstract void MeasureState(TChild child, nn.Module<Tensor, Tensor> student);

    /// <summary>The policy's input rows for <paramref name="child"/>'s state, and the element each row and head acts on.</summary>
    protected abstract (float[] Inputs, int Rows, int[,] Targets) PolicyInputs(TChild child, double progress);

    /// <summary>Applies a sampled decision to <paramref name="child"/>'s Phi; returns the mean |change| per element.</summary>
    protected abstract double Apply(TChild child, AlaDecision decision);

    /// <summary>Reports a decision of the run's student (event and log).</summary>
    protected abstract void Report(StudentState state, double reward, double meanReward, double meanChange);

    public void Begin(TeachingContext context)
    {
        Context = context;
        Validation = context.Validation is { Count: > 0 } v ? v
            : throw new ArgumentException("ALA reads its state and reward from validation data; set ValidationFraction (e.g. 0.1) or ValidationData.", "Loss");
        if (options.Children > 1 && context.CreateSideStudent is null)
            throw new NotSupportedException($"Loss.Children is {options.Children}, but this host cannot create side students; set Children to 1.");
        Random = new Random(context.Seed ^ RandomSalt);
        bool learn = pretrained is null || options.ContinueLearning;
        Policy = pretrained is { } pre ? pre.Clone().To(context.Device) : TorchSeeding.Run(context.Seed + 104_729, () => CreatePolicy().To(context.Device));
        Learner = new AlaPolicyLearner(Policy, context.Device, learn ? options.PolicyLearningRate : 0, options.BaselineDecay, options.EntropyWeight, options.ReplayCapacity);
        AddChildren(context);
    }

    public void BeginStudent(StudentRun run)
    {
        Run = run;
        _stepInWindow = 0;
        _replayed = -1;
    }

    public Tensor ComputeLoss(StudentState state)
    {
        if (Run.IsRefit)
            Replay(state.Progress);
        else if (_stepInWindow == 0)
            Decide(state);
        else if (_stepInWindow % CheckInterval == 0)
            Main.Checkpoints.Add(MeasureMetric(state.Student));
        return Main.Loss(state);
    }

    private void Replay(double progress)
    {
        int at = _replayed;
        while (at + 1 < _trajectory.Count && _trajectory[at + 1].Progress <= progress) at++;
        if (at == _replayed || at < 0) return;
        Main.SetPhi(_trajectory[at].Phi);
        _replayed = at;
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
        if (run.IsFinal && !run.IsRefit && Learner.Learns)
        {
            _learned?.Dispose();
            _learned = Policy.Clone();
        }
    }

    /// <summary>A decision point: close every child's window, learn, act, and restart the side children.</summary>
    private void Decide(StudentState state)
    {
        MeasureState(Main, state.Student);
        WaitForSides();
        foreach (var child in Children.Where(c => !c.HasState))
            MeasureState(child, child.Side!.Module);   // a side child's first state, at its initialisation

        // Rewards r_{t-1} = sign(M_{t-1} - M_t) for the windows just closed.
        var closed = new List<(AlaDecision Decision, double Reward)>();
        double mainReward = 0;
        foreach (var child in Children)
        {
            double window = AlaReward.DiscountedWindow(child.Checkpoints, options.Gamma);
            child.Checkpoints.Clear();
            if (child.Pending is { } decision && child.WindowMetric is { } previous)
            {
                double reward = AlaReward.Sign(previous, window, HigherIsBetter);
                closed.Add((decision, reward));
                if (child == Main) mainReward = reward;
            }
            child.WindowMetric = window;
        }
        Learner.Learn(closed, options.Baseline, options.PolicyUpdatesPerAction, options.ReplayBatchSize, Random);

        // Actions a_t ~ pi_theta(s_t) for every child.
        double change = 0;
        foreach (var child in Children)
        {
            var (inputs, rows, targets) = PolicyInputs(child, state.Progress);
            var decision = new AlaDecision(inputs, rows, Learner.Sample(inputs, rows, Random), targets);
            change += Apply(child, decision);
            child.Pending = decision;
        }
        Report(state, mainReward, closed.Count > 0 ? closed.Average(c => c.Reward) : 0, change / Children.Count);
        Decisions++;
        _trajectory.Add((state.Progress, Main.SnapshotPhi()));
        StartSides();
    }

    /// <summary>Runs each side child's next K steps with its new Phi, measuring at the same points as the run's student.</summary>
    private void StartSides()
    {
        foreach (var child in Children.Where(c => c.Side is not null))
        {
            var c = child;
            c.Running = AlaSideWindow.Start(c.Side!, options.StepsPerAction, CheckInterval, Run.Epochs, c.Loss, () => MeasureState(c, c.Side!.Module),
                options.RunChildrenConcurrently, Context.CancellationToken);
        }
    }

    private void WaitForSides()
    {
        foreach (var child in Children)
        {
            var running = child.Running;
            child.Running = null;
            AlaSideWindow.Wait(running);
        }
    }

    public void Dispose()
    {
        foreach (var child in Children) child.Dispose();
        Children.Clear();
        Learner?.Dispose();
        Policy?.Dispose();
        _learned?.Dispose();
    }
}
