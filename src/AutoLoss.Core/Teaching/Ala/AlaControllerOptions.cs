using AutoLoss.Core.Teaching;
using AutoLoss.Core.Teaching.Ala;

namespace AutoLoss;

/// <summary>
/// What every ALA loss shares: the controller pi_theta, its decisions every K student steps, the discounted reward
/// window, REINFORCE from a replay memory, and the child models trained side by side. <see cref="AlaLossOptions"/>
/// aligns a classification loss; <see cref="AlaEmbeddingLossOptions"/> an embedding (metric-learning) loss. ALA
/// reads its state and reward from validation data, so it needs some.
/// </summary>
public abstract class AlaControllerOptions : LossOptions
{
    /// <summary>K, student steps between two controller decisions. Default 50 (about 29 decisions in a 20-epoch
    /// digits run of 72 steps per epoch).</summary>
    public int StepsPerAction { get; set; } = 50;


    /// <summary>gamma, the discount of the validation window M_{t+1} (later measurements weigh more). Default 0.9.</summary>
    public double Gamma { get; set; } = 0.9;

    /// <summary>Validation measurements per window of K steps, evenly spaced, the last at the window's end; the
    /// discounted window sums these instead of measuring after every step. Default 5.</summary>
    public int ValidationChecksPerAction { get; set; } = 5;

    /// <summary>Child models sharing the controller, including the run's own student (1 = the paper's
    /// single-model setting). Each extra child is a full student (its own initialisation and batch order) trained
    /// beside the run's student for the same budget and then discarded, so it costs one more student's training.
    /// Default 2.</summary>
    public int Children { get; set; } = 2;

    /// <summary>Whether the extra children train on other threads while the run's student trains (true, default;
    /// uses up to <see cref="Children"/> cores) or one after the other on the calling thread.</summary>
    public bool RunChildrenConcurrently { get; set; } = true;


    /// <summary>Width of the controller's two hidden layers. Default 32.</summary>
    public int PolicyHiddenSize { get; set; } = 32;

    /// <summary>Adam learning rate for theta. Default 0.001.</summary>
    public double PolicyLearningRate { get; set; } = 0.001;

    /// <summary>REINFORCE steps per controller decision, each on a fresh sample of the replay memory. Default 4.</summary>
    public int PolicyUpdatesPerAction { get; set; } = 4;

    /// <summary>Experiences kept in the replay memory (one per class pair and child for the pair-shared policy).
    /// Default 5000.</summary>
    public int ReplayCapacity { get; set; } = 5000;

    /// <summary>Experiences per REINFORCE step. Default 256.</summary>
    public int ReplayBatchSize { get; set; } = 256;

    /// <summary>Decay of the moving-average reward baseline b_t (<see cref="AlaBaseline.MovingAverage"/>, and the
    /// single-child fallback of <see cref="AlaBaseline.OtherChildren"/>). Default 0.9.</summary>
    public double BaselineDecay { get; set; } = 0.9;

    /// <summary>Weight of the policy's entropy in its objective (a positive weight keeps it exploring, and pulls it
    /// towards moving Phi at random). Default 0.</summary>
    public double EntropyWeight { get; set; }

    /// <summary>How b_t is formed. Default <see cref="AlaBaseline.OtherChildren"/>.</summary>
    public AlaBaseline Baseline { get; set; } = AlaBaseline.OtherChildren;

    /// <summary>The untrained policy's probability of keeping an element of Phi (action 0); moving it down or up
    /// share the rest. Phi then drifts only as far as the rewards push it: with 1/3 (uniform) each element of Phi
    /// random-walks by about beta x sqrt(2t/3) after t decisions. Default 0.8.</summary>
    public double InitialKeepProbability { get; set; } = 0.8;

    /// <summary>With a pretrained policy: whether theta keeps learning (true) or is frozen (false,
    /// default: the paper's policy transfer).</summary>
    public bool ContinueLearning { get; set; }

    /// <summary>Raised when a run that learned a policy ends, with the copy the run hands back (the fitted
    /// model's <c>LearnedLoss</c>, which the model owns and disposes; a search trial disposes it when the trial ends):
    /// clone it to keep it. Raised on the thread that trains, which for parallel search trials is a pool thread.</summary>
    public event Action<AlaPolicyModel>? PolicyTrained;

    /// <inheritdoc />
    public override bool RequiresValidationData => true;

    /// <summary>Checks the controller's settings, naming the option and the fix.</summary>
    private protected void ValidateController(string optionName)
    {
        if (StepsPerAction <= 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.StepsPerAction (K) is {StepsPerAction}; it must be positive (e.g. 50).");
        if (!(Gamma > 0 && Gamma <= 1))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.Gamma is {Gamma}; it must be in (0, 1] (e.g. 0.9).");
        if (ValidationChecksPerAction <= 0 || ValidationChecksPerAction > StepsPerAction)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.ValidationChecksPerAction is {ValidationChecksPerAction}; it must be between 1 and StepsPerAction ({StepsPerAction}).");
        if (Children <= 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.Children is {Children}; it must be at least 1 (the run's own student).");
        if (PolicyHiddenSize <= 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.PolicyHiddenSize is {PolicyHiddenSize}; it must be positive (e.g. 32).");
        RequirePositive(PolicyLearningRate, nameof(PolicyLearningRate), "0.001", optionName);
        if (PolicyUpdatesPerAction < 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.PolicyUpdatesPerAction is {PolicyUpdatesPerAction}; it must be >= 0.");
        if (ReplayCapacity <= 0 || ReplayBatchSize <= 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.ReplayCapacity ({ReplayCapacity}) and ReplayBatchSize ({ReplayBatchSize}) must be positive.");
        if (!(BaselineDecay >= 0 && BaselineDecay < 1))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.BaselineDecay is {BaselineDecay}; it must be in [0, 1) (e.g. 0.9).");
        if (!(EntropyWeight >= 0) || !double.IsFinite(EntropyWeight))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.EntropyWeight is {EntropyWeight}; it must be a finite number >= 0.");
        if (!(InitialKeepProbability > 0 && InitialKeepProbability < 1))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.InitialKeepProbability is {InitialKeepProbability}; it must be in (0, 1) (1/3 is uniform; e.g. 0.8).");
        if (!Enum.IsDefined(Baseline))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.Baseline is {Baseline}; use AlaBaseline.OtherChildren or AlaBaseline.MovingAverage.");
    }

    private protected static void RequirePositive(double value, string name, string example, string optionName)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.{name} is {value}; it must be a positive number (e.g. {example}).");
    }

    /// <summary>Raises <see cref="PolicyTrained"/>; if a handler throws, the policy is disposed before the error goes on.</summary>
    internal void OnPolicyTrained(AlaPolicyModel policy)
    {
        try
        {
            PolicyTrained?.Invoke(policy);
        }
        catch
        {
            policy.Dispose();
            throw;
        }
    }
}
