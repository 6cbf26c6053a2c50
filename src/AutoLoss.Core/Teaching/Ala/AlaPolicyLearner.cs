using AutoLoss.Core.Data;
using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.Ala;

/// <summary>
/// Samples ALA's actions from pi_theta and learns theta by REINFORCE with a baseline (the paper's equation 3):
/// theta ascends sum log pi_theta(a_t | s_t) (r_t - b_t) over experiences drawn from the replay memory, with b_t a
/// moving average of past rewards, plus a small entropy bonus that keeps the policy exploring.
/// </summary>
internal sealed class AlaPolicyLearner : IDisposable
{
    private readonly AlaPolicyModel _policy;
    private readonly optim.Optimizer? _optimizer;
    private readonly Device _device;
    private readonly double _baselineDecay, _entropyWeight;
    private bool _baselineStarted;

    /// <summary>Creates the learner. With <paramref name="learningRate"/> 0 the policy only acts (frozen).</summary>
    public AlaPolicyLearner(AlaPolicyModel policy, Device device, double learningRate, double baselineDecay, double entropyWeight, int replayCapacity)
    {
        _policy = policy;
        _device = device;
        _baselineDecay = baselineDecay;
        _entropyWeight = entropyWeight;
        Memory = new AlaReplayMemory(replayCapacity);
        if (learningRate > 0) _optimizer = optim.Adam(policy.Parameters(), lr: learningRate);
    }

    /// <summary>The replay memory D.</summary>
    public AlaReplayMemory Memory { get; }

    /// <summary>b_t: the moving average of rewards seen so far (0 before any).</summary>
    public double Baseline { get; private set; }

    /// <summary>Whether theta learns (false for a frozen pretrained policy).</summary>
    public bool Learns => _optimizer is not null;

    /// <summary>Action probabilities [rows, heads, 3] for input rows (no graph).</summary>
    public float[] Probabilities(float[] inputs, int rows)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = AlignedTensor.From(inputs, [rows, _policy.InputSize], _device);
        return nn.functional.softmax(_policy.Logits(x), 2).to(CPU).data<float>().ToArray();
    }

    /// <summary>Samples an action index (0: -beta, 1: 0, 2: +beta) per row and head from pi_theta.</summary>
    public int[,] Sample(float[] inputs, int rows, Random random)
    {
        var p = Probabilities(inputs, rows);
        int heads = _policy.Heads;
        var actions = new int[rows, heads];
        for (int r = 0; r < rows; r++)
            for (int h = 0; h < heads; h++)
            {
                int at = (r * heads + h) * 3;
                double u = random.NextDouble();
                actions[r, h] = u < p[at] ? 0 : u < p[at] + p[at + 1] ? 1 : 2;
            }
        return actions;
    }

    /// <summary>Folds one round of rewards (one per child) into the moving-average baseline b_t.</summary>
    public void ObserveRewards(IReadOnlyList<double> rewards)
    {
        if (rewards.Count == 0) return;
        double mean = rewards.Average();
        Baseline = _baselineStarted ? _baselineDecay * Baseline + (1 - _baselineDecay) * mean : mean;
        _baselineStarted = true;
    }

    /// <summary>
    /// Learns from the windows just closed, one (decision, reward) per child: each decision's rows enter the replay
    /// memory with the advantage r - b, where b is the other children's mean reward (<see cref="AlaBaseline.OtherChildren"/>
    /// with more than one child) or the moving average b_t; the baseline is updated, and theta takes
    /// <paramref name="updates"/> REINFORCE steps.
    /// </summary>
    public void Learn(IReadOnlyList<(AlaDecision Decision, double Reward)> closed, AlaBaseline baseline, int updates, int batchSize, Random random)
    {
        double sum = closed.Sum(c => c.Reward);
        foreach (var (decision, reward) in closed)
        {
            double b = baseline == AlaBaseline.OtherChildren && closed.Count > 1 ? (sum - reward) / (closed.Count - 1) : Baseline;
            Remember(decision, (float)(reward - b));
        }
        ObserveRewards(closed.Select(c => c.Reward).ToList());
        if (Learns && Memory.Count > 0)
            for (int u = 0; u < updates; u++)
                Update(batchSize, random);
    }

    private void Remember(AlaDecision decision, float advantage)
    {
        int heads = decision.Actions.GetLength(1), inputSize = decision.Inputs.Length / decision.Rows;
        for (int r = 0; r < decision.Rows; r++)
        {
            var actions = new int[heads];
            var acted = new bool[heads];
            for (int h = 0; h < heads; h++)
            {
                actions[h] = decision.Actions[r, h];
                acted[h] = decision.Targets[r, h] != AlaDecision.None;
            }
            Memory.Add(new AlaExperience(decision.Inputs.AsSpan(r * inputSize, inputSize).ToArray(), actions, acted, advantage));
        }
    }

    /// <summary>Takes one REINFORCE step on a random minibatch of the replay memory; returns the surrogate loss,
    /// or null when there is nothing to learn from or the policy is frozen.</summary>
    public double? Update(int batchSize, Random random)
    {
        if (_optimizer is null || Memory.Count == 0) return null;
        var batch = Memory.Sample(batchSize, random);
        int heads = _policy.Heads, inputSize = _policy.InputSize;
        var inputs = new float[batch.Length * inputSize];
        var actions = new long[batch.Length * heads];
        var weights = new float[batch.Length * heads];
        for (int b = 0; b < batch.Length; b++)
        {
            batch[b].Input.CopyTo(inputs, b * inputSize);
            for (int h = 0; h < heads; h++)
            {
                actions[b * heads + h] = batch[b].Actions[h];
                weights[b * heads + h] = batch[b].Acted[h] ? batch[b].Advantage : 0;
            }
        }
        using var scope = NewDisposeScope();
        var x = AlignedTensor.From(inputs, [batch.Length, inputSize], _device);
        var a = tensor(actions, [batch.Length, heads, 1]).to(_device);
        var w = AlignedTensor.From(weights, [batch.Length, heads], _device);
        var logp = nn.functional.log_softmax(_policy.Logits(x), 2);
        var chosen = logp.gather(2, a).squeeze(2);                       // log pi(a | s) per head
        var entropy = -(logp.exp() * logp).sum(2).mean();
        var loss = -(chosen * w).sum(1).mean() - _entropyWeight * entropy;
        _optimizer.zero_grad();
        loss.backward();
        _optimizer.step();
        _policy.Updates++;
        return loss.item<float>();
    }

    /// <summary>Releases the optimiser (not the policy).</summary>
    public void Dispose() => _optimizer?.Dispose();
}
