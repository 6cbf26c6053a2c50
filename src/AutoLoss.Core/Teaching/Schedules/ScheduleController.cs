using AutoLoss.Core.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.Schedules;

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
/// Learning: the decisions since the last reward share that reward r_k. Each segment index k keeps its own
/// moving-average baseline b_k over episodes (progress changes what an improvement is worth: early segments improve
/// a lot under any schedule), and the advantage (r_k - b_k), scaled by a running mean of |r - b| and clipped to
/// +-5, weighs grad log pi(a_t | s_t) of the segment's decisions.
/// </remarks>
public sealed class ScheduleController : IDisposable
{
    private const string Magic = "AutoLoss.ScheduleController";
    private const int FormatVersion = 1;

    private readonly nn.Module<Tensor, Tensor> _network;
    private optim.Optimizer? _optimizer;
    private readonly List<(float[] State, int Choice)> _pending = [];
    private readonly List<(float[] State, int Choice, float Advantage)> _learnable = [];
    private readonly List<double> _segmentBaselines = [];
    private int _segment;
    private double _advantageScale;

    /// <summary>Creates an untrained controller (weights from the global TorchSharp generator; seed it first).</summary>
    /// <param name="stateSize">Values in a state s_t.</param>
    /// <param name="choices">Number of choices (at least 2).</param>
    /// <param name="hiddenSize">Width of both hidden layers (the authors' 16).</param>
    /// <param name="temperature">Softmax temperature (the authors' 2; higher explores more).</param>
    public ScheduleController(int stateSize, int choices, int hiddenSize = 16, double temperature = 2)
    {
        if (stateSize <= 0) throw new ArgumentOutOfRangeException(nameof(stateSize), $"The state size is {stateSize}; it must be positive.");
        if (choices < 2) throw new ArgumentOutOfRangeException(nameof(choices), $"A schedule controller needs at least 2 choices; {choices} were given.");
        if (hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), $"The hidden size is {hiddenSize}; it must be positive (e.g. 16).");
        if (!(temperature > 0) || !double.IsFinite(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), $"The temperature is {temperature}; it must be positive (e.g. 2).");
        StateSize = stateSize;
        Choices = choices;
        HiddenSize = hiddenSize;
        Temperature = temperature;
        var last = nn.Linear(hiddenSize, choices);
        using (no_grad()) { last.weight!.mul_(0.1); last.bias!.zero_(); } // starts close to uniform
        _network = nn.Sequential(nn.Linear(stateSize, hiddenSize), nn.Tanh(), nn.Linear(hiddenSize, hiddenSize), nn.Tanh(), last);
    }

    /// <summary>Values in a state.</summary>
    public int StateSize { get; }

    /// <summary>Number of choices.</summary>
    public int Choices { get; }

    /// <summary>Width of the hidden layers.</summary>
    public int HiddenSize { get; }

    /// <summary>Softmax temperature.</summary>
    public double Temperature { get; }

    /// <summary>REINFORCE updates taken so far.</summary>
    public int Updates { get; private set; }

    /// <summary>Episodes finished so far (<see cref="EndEpisode"/> calls).</summary>
    public int Episodes { get; private set; }

    /// <summary>Turns learning on with Adam at <paramref name="learningRate"/> (off for a frozen controller).</summary>
    public void EnableLearning(double learningRate)
    {
        if (!(learningRate > 0) || !double.IsFinite(learningRate)) throw new ArgumentOutOfRangeException(nameof(learningRate), $"The learning rate is {learningRate}; it must be positive.");
        _optimizer?.Dispose();
        _optimizer = optim.Adam(_network.parameters(), lr: learningRate);
    }

    /// <summary>Whether <see cref="Learn"/> changes theta.</summary>
    public bool Learns => _optimizer is not null;

    /// <summary>pi_theta(. | s) for one state.</summary>
    public float[] Probabilities(float[] state)
    {
        if (state.Length != StateSize) throw new ArgumentException($"The state has {state.Length} values; this controller reads {StateSize}.", nameof(state));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = _network.forward(AlignedTensor.From(state, [1, StateSize], CPU)).div(Temperature);
        return nn.functional.softmax(logits, 1).data<float>().ToArray();
    }

    /// <summary>Samples a choice a_t ~ pi_theta(. | s_t) and remembers (s_t, a_t) for the next reward.</summary>
    public int Choose(float[] state, Random random)
    {
        var p = Probabilities(state);
        double u = random.NextDouble(), cumulative = 0;
        int choice = p.Length - 1;
        for (int i = 0; i < p.Length; i++)
        {
            cumulative += p[i];
            if (u < cumulative) { choice = i; break; }
        }
        _pending.Add((state, choice));
        return choice;
    }

    /// <summary>Rewards the decisions since the last reward with <paramref name="reward"/> (e.g. the relative
    /// improvement of a validation loss over the segment; larger is better). Returns the advantage used.</summary>
    public double Reward(double reward)
    {
        if (!double.IsFinite(reward)) throw new ArgumentException($"The reward is {reward}; it must be finite.", nameof(reward));
        if (_segment == _segmentBaselines.Count) _segmentBaselines.Add(reward);   // first episode: no advantage yet
        double baseline = _segmentBaselines[_segment];
        double raw = reward - baseline;
        _segmentBaselines[_segment] = 0.8 * baseline + 0.2 * reward;
        _advantageScale = _advantageScale == 0 ? Math.Abs(raw) : 0.9 * _advantageScale + 0.1 * Math.Abs(raw);
        double advantage = _advantageScale > 0 ? Math.Clamp(raw / _advantageScale, -5, 5) : 0;
        foreach (var (s, a) in _pending) _learnable.Add((s, a, (float)advantage));
        _pending.Clear();
        _segment++;
        return advantage;
    }

    /// <summary>One REINFORCE step on the rewarded decisions gathered since the last call (mean of
    /// -log pi(a_t | s_t) x advantage); returns false when there was nothing to learn or the controller is frozen.</summary>
    public bool Learn()
    {
        if (_optimizer is null || _learnable.Count == 0)
        {
            _learnable.Clear();
            return false;
        }
        using var scope = NewDisposeScope();
        var states = new float[_learnable.Count * StateSize];
        var choices = new long[_learnable.Count];
        var advantages = new float[_learnable.Count];
        for (int i = 0; i < _learnable.Count; i++)
        {
            _learnable[i].State.CopyTo(states, i * StateSize);
            choices[i] = _learnable[i].Choice;
            advantages[i] = _learnable[i].Advantage;
        }
        _learnable.Clear();
        var logp = nn.functional.log_softmax(_network.forward(AlignedTensor.From(states, [choices.Length, StateSize], CPU)).div(Temperature), 1);
        var chosen = logp.gather(1, tensor(choices).unsqueeze(1)).squeeze(1);
        var loss = -(chosen * tensor(advantages)).mean();
        _optimizer.zero_grad();
        loss.backward();
        _optimizer.step();
        Updates++;
        return true;
    }

    /// <summary>Ends an episode: unrewarded decisions are dropped and the segment index restarts at 0.</summary>
    public void EndEpisode()
    {
        _pending.Clear();
        _segment = 0;
        Episodes++;
    }

    /// <summary>A deep copy (frozen; call <see cref="EnableLearning"/> to train it).</summary>
    public ScheduleController Clone() => ArtefactStreams.Copy(Save, Load);

    /// <summary>Writes the controller: a header (format, sizes, temperature, counters) and theta.</summary>
    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(StateSize);
        writer.Write(Choices);
        writer.Write(HiddenSize);
        writer.Write(Temperature);
        writer.Write(Updates);
        writer.Write(Episodes);
        _network.save(writer);
    }

    /// <summary>Writes the controller to a file.</summary>
    public void Save(string path) => ArtefactStreams.SaveToFile(path, Save);

    /// <summary>Reads a controller written by <see cref="Save(Stream)"/> (frozen).</summary>
    /// <exception cref="InvalidDataException">The stream is not a saved controller, or is corrupt.</exception>
    public static ScheduleController Load(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        string magic;
        try { magic = reader.ReadString(); }
        catch (Exception e) when (e is EndOfStreamException or IOException) { throw new InvalidDataException("Not a saved schedule controller (empty or truncated).", e); }
        if (magic != Magic) throw new InvalidDataException("Not a saved schedule controller.");
        int version = reader.ReadInt32();
        if (version != FormatVersion) throw new InvalidDataException($"Schedule controller format {version} is not supported (expected {FormatVersion}).");
        int stateSize = reader.ReadInt32(), choices = reader.ReadInt32(), hidden = reader.ReadInt32();
        double temperature = reader.ReadDouble();
        int updates = reader.ReadInt32(), episodes = reader.ReadInt32();
        if (stateSize <= 0 || stateSize > 1 << 20 || choices < 2 || choices > 1 << 16 || hidden <= 0 || hidden > 1 << 16 || !(temperature > 0))
            throw new InvalidDataException("Corrupt schedule controller header.");
        var controller = new ScheduleController(stateSize, choices, hidden, temperature) { Updates = updates, Episodes = episodes };
        try { controller._network.load(reader); }
        catch (Exception e)
        {
            controller.Dispose();
            throw new InvalidDataException("Corrupt schedule controller weights: " + e.Message, e);
        }
        return controller;
    }

    /// <summary>Reads a controller from a file.</summary>
    public static ScheduleController Load(string path) => ArtefactStreams.LoadFromFile(path, Load);

    /// <summary>Releases theta and the optimiser.</summary>
    public void Dispose()
    {
        _optimizer?.Dispose();
        _network.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"schedule controller ({StateSize} inputs, {Choices} choices, {Episodes} episodes, {Updates} updates)";
}
