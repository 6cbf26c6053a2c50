using AutoLoss.Core.Data;
using AutoLoss.Core.Teaching.Schedules;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// AutoLoss's meta-controller (Xu et al., ICLR 2019): a policy pi_theta(a | s) over a discrete set of choices (which
/// objective, or which player of a GAN, takes the next optimiser step), a two-layer tanh network with a softmax at a
/// temperature, trained by REINFORCE with a baseline. It can be driven by <see cref="ScheduleLossOptions"/> inside
/// the training loop, or directly by any alternating optimisation (see the GanSchedule example):
/// <see cref="Choose"/> at every step, <see cref="Reward"/> every few steps with the improvement of a validation
/// measure, and <see cref="Learn"/> to update theta. Save it with <see cref="Save(Stream)"/> and reuse it on other
/// data (the paper's transfer).
/// </summary>
/// <remarks>
/// Learning: the decisions since the last reward form segment k and share its return G_k. With discount gamma = 0
/// G_k = r_k, the segment's own reward, known at once. With gamma &gt; 0 (<see cref="EnableLearning"/>)
/// G_k = sum_{j &gt;= k} gamma^(j - k) r_j, the reward-to-go, known at <see cref="EndEpisode"/>: a choice whose benefit
/// shows only later (an L1 step costs validation loss now and pays off as the noise weights shrink) is credited with
/// it. With gamma = 1 and rewards that are validation-loss improvements, G_k is the improvement from segment k to
/// the end of the episode, so every decision answers for the final validation loss. Each segment index k keeps its
/// own moving-average baseline b_k of G_k over episodes (progress changes what a return is worth: early segments
/// improve a lot under any schedule), and the advantage (G_k - b_k), scaled by a running mean of |G - b| and clipped
/// to +-5, weighs grad log pi(a_t | s_t) of the segment's decisions.
/// </remarks>
public sealed partial class ScheduleController : ILearnedLoss
{
    private const string Magic = "AutoLoss.ScheduleController";
    private const int FormatVersion = 3;   // 2 added the choice names, 3 the reward cadence

    /// <summary>One choice a_t in state s_t, with the logit offset z the episode sampled it under (zeros without
    /// <see cref="EpisodeExploration"/>).</summary>
    private readonly record struct Decision(float[] State, int Choice, float[] Offset);

    private readonly nn.Module<Tensor, Tensor> _network;
    private readonly TorchSharp.Modules.Linear _output;
    private optim.Optimizer? _optimizer;
    private readonly List<Decision> _pending = [];
    private readonly List<(Decision Decision, float Advantage)> _learnable = [];
    private readonly List<double> _segmentBaselines = [];
    private readonly List<(List<Decision> Decisions, double Reward)> _episodeSegments = [];
    private readonly List<(List<Decision> Decisions, double Return)[]> _group = [];
    private readonly List<float[]> _groupNoise = [];
    private readonly List<float[]> _biasIterates = [];
    private readonly float[] _noOffset;
    private float[] _episodeNoise, _episodeOffset, _drawnNoise = [];
    private int _episodesBegun;
    private int _segment;
    private double _advantageScale;

    /// <summary>Creates an untrained controller (weights from the global TorchSharp generator; seed it first).</summary>
    /// <param name="stateSize">Values in a state s_t.</param>
    /// <param name="choices">Number of choices (at least 2).</param>
    /// <param name="hiddenSize">Width of both hidden layers (the authors' 16).</param>
    /// <param name="temperature">Softmax temperature (the authors' 2; higher explores more).</param>
    /// <param name="choiceNames">Optional names of the choices, in order (e.g. the objectives' names); saved with the
    /// controller so that applying it to other choices can be refused.</param>
    /// <param name="initialOutputScale">Scale of the output layer's initial weights (default 0.1: close to uniform, slightly
    /// state-dependent); 0 starts from the uniform policy in every state.</param>
    public ScheduleController(int stateSize, int choices, int hiddenSize = 16, double temperature = 2, IReadOnlyList<string>? choiceNames = null,
        double initialOutputScale = 0.1)
    {
        if (stateSize <= 0) throw new ArgumentOutOfRangeException(nameof(stateSize), $"The state size is {stateSize}; it must be positive.");
        if (choices < 2) throw new ArgumentOutOfRangeException(nameof(choices), $"A schedule controller needs at least 2 choices; {choices} were given.");
        if (hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), $"The hidden size is {hiddenSize}; it must be positive (e.g. 16).");
        if (!(temperature > 0) || !double.IsFinite(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), $"The temperature is {temperature}; it must be positive (e.g. 2).");
        if (!(initialOutputScale >= 0) || !double.IsFinite(initialOutputScale)) throw new ArgumentOutOfRangeException(nameof(initialOutputScale), $"The initial output scale is {initialOutputScale}; it must be a finite number >= 0 (e.g. 0.1).");
        if (choiceNames is not null && (choiceNames.Count != choices || choiceNames.Any(string.IsNullOrEmpty)))
            throw new ArgumentException($"{choiceNames.Count} choice names were given for {choices} choices; give one non-empty name per choice, or none.", nameof(choiceNames));
        StateSize = stateSize;
        Choices = choices;
        ChoiceNames = choiceNames is null ? null : [.. choiceNames];
        HiddenSize = hiddenSize;
        Temperature = temperature;
        _output = nn.Linear(hiddenSize, choices);
        using (no_grad()) { _output.weight!.mul_(initialOutputScale); _output.bias!.zero_(); } // starts close to uniform
        _network = nn.Sequential(nn.Linear(stateSize, hiddenSize), nn.Tanh(), nn.Linear(hiddenSize, hiddenSize), nn.Tanh(), _output);
        _noOffset = new float[choices];
        _episodeNoise = _episodeOffset = _noOffset;
    }

    /// <summary>Values in a state.</summary>
    public int StateSize { get; }

    /// <summary>Number of choices.</summary>
    public int Choices { get; }

    /// <summary>Names of the choices, in order, or null when none were given.</summary>
    public IReadOnlyList<string>? ChoiceNames { get; }

    /// <summary>Steps between two rewards in the run the controller learns in (<see cref="ScheduleLossOptions.RewardEvery"/>),
    /// or null when unknown. Its state's validation entry and choice shares refresh at this cadence, so it is saved with
    /// the controller and a schedule with another RewardEvery refuses it.</summary>
    public int? RewardEvery { get; init; }

    /// <summary>Width of the hidden layers.</summary>
    public int HiddenSize { get; }

    /// <summary>Softmax temperature.</summary>
    public double Temperature { get; }

    /// <summary>Learning steps taken so far: REINFORCE steps on theta (<see cref="Learn"/>) and moves of the output bias by
    /// the episode-level exploration (<see cref="EpisodeExploration"/>).</summary>
    public int Updates { get; private set; }

    /// <summary>Episodes finished so far (<see cref="EndEpisode"/> calls).</summary>
    public int Episodes { get; private set; }

    /// <summary>Turns learning on with Adam at <paramref name="learningRate"/> (off for a frozen controller).</summary>
    /// <param name="learningRate">Adam's learning rate for theta.</param>
    /// <param name="discount">gamma in [0, 1] of the segment return G_k = sum_{j &gt;= k} gamma^(j - k) r_j. 0 (default):
    /// each segment is credited with its own reward at once; above 0, segments are credited at <see cref="EndEpisode"/>
    /// with their reward-to-go (1: undiscounted).</param>
    /// <param name="episodesPerUpdate">With a discount: 1 (default) credits each episode against the moving baselines
    /// b_k; n &gt;= 2 waits for n episodes and credits each against the mean return of the other n - 1 at the same segment
    /// (a leave-one-out baseline from episodes of the same policy).</param>
    /// <param name="entropyBonus">beta &gt;= 0 of the entropy bonus: each step minimises
    /// -mean(log pi(a_t | s_t) x A_t) - beta x mean H(pi(. | s_t)). 0 (default): plain REINFORCE. Above 0 the policy is
    /// pulled back towards uniform choices wherever the rewards do not favour one, so it stays where it started on a flat
    /// stretch of the reward instead of drifting on noise (towards an objective that hurts once overdone).</param>
    /// <param name="episodeExploration">sigma &gt;= 0 of the episode-level exploration (see <see cref="EpisodeExploration"/>).
    /// 0 (default): none, the paper's step-level sampling alone. Above 0 needs a discount and episodesPerUpdate &gt;= 2.</param>
    public void EnableLearning(double learningRate, double discount = 0, int episodesPerUpdate = 1, double entropyBonus = 0, double episodeExploration = 0)
    {
        if (!(learningRate > 0) || !double.IsFinite(learningRate)) throw new ArgumentOutOfRangeException(nameof(learningRate), $"The learning rate is {learningRate}; it must be positive.");
        if (!(discount >= 0 && discount <= 1)) throw new ArgumentOutOfRangeException(nameof(discount), $"The discount is {discount}; it must be in [0, 1] (0: immediate rewards, 1: undiscounted reward-to-go).");
        if (episodesPerUpdate < 1) throw new ArgumentOutOfRangeException(nameof(episodesPerUpdate), $"Episodes per update is {episodesPerUpdate}; it must be >= 1.");
        if (episodesPerUpdate > 1 && discount == 0) throw new ArgumentException("Episodes per update above 1 needs a discount above 0 (segments are then credited at episode ends).", nameof(episodesPerUpdate));
        if (!(entropyBonus >= 0) || !double.IsFinite(entropyBonus)) throw new ArgumentOutOfRangeException(nameof(entropyBonus), $"The entropy bonus is {entropyBonus}; it must be a finite number >= 0 (0: none).");
        if (!(episodeExploration >= 0) || !double.IsFinite(episodeExploration)) throw new ArgumentOutOfRangeException(nameof(episodeExploration), $"The episode exploration is {episodeExploration}; it must be a finite number >= 0 (0: none).");
        if (episodeExploration > 0 && episodesPerUpdate < 2)
            throw new ArgumentException("Episode exploration compares the episodes of a group; it needs a discount above 0 and episodes per update >= 2.", nameof(episodeExploration));
        _optimizer?.Dispose();
        _optimizer = optim.Adam(_network.parameters(), lr: learningRate);
        Discount = discount;
        EpisodesPerUpdate = episodesPerUpdate;
        EntropyBonus = entropyBonus;
        EpisodeExploration = episodeExploration;
    }

    /// <summary>sigma of the episode-level exploration. At <see cref="BeginEpisode"/> a learning controller draws a logit
    /// offset z = sigma x eps (eps ~ N(0, I), negated on every second episode: antithetic pairs) and samples the whole
    /// episode's choices from softmax(f_theta(s_t) / T + z). Step-level sampling varies an episode's mix of choices by
    /// only about 1/sqrt(decisions) (3% over 320 decisions), too little for the final validation loss to tell which mix
    /// is better; the offset varies it by tens of percent. When a group is credited, the output bias of theta moves by
    /// sigma x T x mean_e(A_e x eps_e), with A_e the episodes' whole-episode advantages (G_0 against the group's
    /// leave-one-out mean, divided by their root mean square): at most about sigma (in logits over T) per group, towards
    /// the offsets whose episodes did better. This is REINFORCE for the episode-level Gaussian choice z, an extension of
    /// the paper's controller; a frozen controller (and <see cref="Probabilities(float[])"/>) uses no offset. After the last
    /// episode, <see cref="SettleExploration"/> averages the bias over the second half of its moves.</summary>
    public double EpisodeExploration { get; private set; }

    /// <summary>beta of the entropy bonus (see <see cref="EnableLearning"/>).</summary>
    public double EntropyBonus { get; private set; }

    /// <summary>Episodes credited together (see <see cref="EnableLearning"/>).</summary>
    public int EpisodesPerUpdate { get; private set; } = 1;

    /// <summary>gamma of the segment returns (see <see cref="EnableLearning"/>).</summary>
    public double Discount { get; private set; }

    /// <summary>Whether <see cref="Learn"/> changes theta.</summary>
    public bool Learns => _optimizer is not null;

    /// <summary>pi_theta(. | s) for one state.</summary>
    public float[] Probabilities(float[] state) => Probabilities(state, _noOffset);

    /// <summary>The distribution the current episode samples from: softmax(f_theta(s) / T + z) with the episode's logit
    /// offset z (<see cref="EpisodeExploration"/>), or <see cref="Probabilities(float[])"/> when there is none.</summary>
    public float[] EpisodeProbabilities(float[] state) => Probabilities(state, CurrentOffset);

    /// <summary>The logit offset choices are made under now: the episode's z while learning, none when frozen.</summary>
    private float[] CurrentOffset => Learns ? _episodeOffset : _noOffset;

    /// <summary>softmax(f_theta(s) / T + offset).</summary>
    private float[] Probabilities(float[] state, float[] offset)
    {
        if (state.Length != StateSize) throw new ArgumentException($"The state has {state.Length} values; this controller reads {StateSize}.", nameof(state));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = _network.forward(AlignedTensor.From(state, [1, StateSize], CPU)).div(Temperature).add(tensor(offset));
        return nn.functional.softmax(logits, 1).data<float>().ToArray();
    }

    /// <summary>Samples a choice a_t ~ pi_theta(. | s_t) and, while learning, remembers (s_t, a_t) for the next reward.</summary>
    public int Choose(float[] state, Random random)
    {
        var offset = CurrentOffset;
        var p = Probabilities(state, offset);
        double u = random.NextDouble(), cumulative = 0;
        int choice = p.Length - 1;
        for (int i = 0; i < p.Length; i++)
        {
            cumulative += p[i];
            if (u < cumulative) { choice = i; break; }
        }
        if (Learns) _pending.Add(new Decision(state, choice, offset));   // a frozen controller keeps nothing: it would only grow over the run
        return choice;
    }

    /// <summary>Releases theta and the optimiser.</summary>
    public void Dispose()
    {
        _optimizer?.Dispose();
        _network.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"schedule controller ({StateSize} inputs, {Choices} choices{(ChoiceNames is null ? "" : $" [{string.Join(", ", ChoiceNames)}]")}, {Episodes} episodes, {Updates} updates)";
}
