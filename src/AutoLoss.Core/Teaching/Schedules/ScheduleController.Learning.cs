using AutoLoss.Core.Data;
using AutoLoss.Core.Teaching.Schedules;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>How a <see cref="ScheduleController"/> learns: rewards credited to segments (at once, at the episode's
/// end, or against a group of episodes), and the REINFORCE step on the credited decisions.</summary>
public sealed partial class ScheduleController
{
    /// <summary>Rewards the decisions since the last reward with <paramref name="reward"/> r_k (e.g. the relative
    /// improvement of a validation loss over the segment; larger is better). Returns the advantage used, or 0 when the
    /// controller learns with a discount (the segment is then credited by <see cref="EndEpisode"/>).</summary>
    public double Reward(double reward)
    {
        if (!double.IsFinite(reward)) throw new ArgumentException($"The reward is {reward}; it must be finite.", nameof(reward));
        if (Discount > 0)
        {
            _episodeSegments.Add(([.. _pending], reward));
            _pending.Clear();
            return 0;
        }
        double advantage = Credit(_segment++, reward, _pending);
        _pending.Clear();
        return advantage;
    }

    /// <summary>The advantage of segment <paramref name="index"/> with return <paramref name="ret"/> against its baseline
    /// b_k (which then moves towards the return); the segment's decisions become learnable with it.</summary>
    private double Credit(int index, double ret, List<Decision> decisions)
    {
        while (_segmentBaselines.Count <= index) _segmentBaselines.Add(double.NaN);
        if (double.IsNaN(_segmentBaselines[index])) _segmentBaselines[index] = ret;   // first visit: no advantage yet
        double baseline = _segmentBaselines[index];
        double raw = ret - baseline;
        _segmentBaselines[index] = 0.8 * baseline + 0.2 * ret;
        return Scaled(raw, decisions);
    }

    /// <summary>raw = G - b scaled by the running mean of |G - b| and clipped to +-5; the decisions become learnable with it.</summary>
    private double Scaled(double raw, List<Decision> decisions)
    {
        _advantageScale = _advantageScale == 0 ? Math.Abs(raw) : 0.9 * _advantageScale + 0.1 * Math.Abs(raw);
        double advantage = _advantageScale > 0 ? Math.Clamp(raw / _advantageScale, -5, 5) : 0;
        foreach (var d in decisions) _learnable.Add((d, (float)advantage));
        return advantage;
    }

    /// <summary>Credits the episodes waiting for a full group (at least two) at once, e.g. after a run's last training
    /// episode; call <see cref="Learn"/> afterwards. Returns whether anything was credited.</summary>
    public bool FlushEpisodes()
    {
        if (_group.Count < 2) { _group.Clear(); _groupNoise.Clear(); return false; }
        CreditGroup();
        return true;
    }

    /// <summary>Credits every episode of the group against the leave-one-out mean of the other episodes' returns at the
    /// same segment, scaled by the running mean of |G - b|.</summary>
    private void CreditGroup()
    {
        int segments = _group.Max(e => e.Length);
        for (int k = 0; k < segments; k++)
        {
            var at = Enumerable.Range(0, _group.Count).Where(e => _group[e].Length > k).ToArray();
            if (at.Length < 2) continue;   // nobody to compare with
            double sum = at.Sum(e => _group[e][k].Return);
            var raw = at.Select(e => _group[e][k].Return - (sum - _group[e][k].Return) / (at.Length - 1)).ToArray();
            for (int i = 0; i < at.Length; i++) Scaled(raw[i], _group[at[i]][k].Decisions);
            if (k == 0 && EpisodeExploration > 0) MoveOutputBias(raw, [.. at.Select(e => _groupNoise[e])]);
        }
        _group.Clear();
        _groupNoise.Clear();
    }

    /// <summary>One REINFORCE step on the rewarded decisions gathered since the last call (mean of
    /// -log pi(a_t | s_t) x advantage, minus beta x the mean entropy of pi(. | s_t) when <see cref="EntropyBonus"/> is
    /// set); returns false when there was nothing to learn or the controller is frozen.</summary>
    public bool Learn()
    {
        if (_optimizer is null || _learnable.Count == 0)
        {
            _learnable.Clear();
            return false;
        }
        using var scope = NewDisposeScope();
        int n = _learnable.Count;
        var states = new float[n * StateSize];
        var offsets = new float[n * Choices];
        var choices = new long[n];
        var advantages = new float[n];
        for (int i = 0; i < n; i++)
        {
            var (d, advantage) = _learnable[i];
            d.State.CopyTo(states, i * StateSize);
            d.Offset.CopyTo(offsets, i * Choices);
            choices[i] = d.Choice;
            advantages[i] = advantage;
        }
        _learnable.Clear();
        var logits = _network.forward(AlignedTensor.From(states, [n, StateSize], CPU)).div(Temperature);
        // log pi(a_t | s_t) of the distribution the choice was sampled from (with its episode's offset z).
        var logp = nn.functional.log_softmax(logits + AlignedTensor.From(offsets, [n, Choices], CPU), 1);
        var chosen = logp.gather(1, tensor(choices).unsqueeze(1)).squeeze(1);
        var loss = -(chosen * tensor(advantages)).mean();
        if (EntropyBonus > 0)
        {
            var own = nn.functional.log_softmax(logits, 1);   // the policy's own entropy, without exploration offsets
            loss = loss + EntropyBonus * (own.exp() * own).sum(1).mean();   // -beta x H, H = -sum p log p
        }
        _optimizer.zero_grad();
        loss.backward();
        _optimizer.step();
        Updates++;
        return true;
    }

    /// <summary>Ends an episode: with a discount, every rewarded segment is credited with its return G_k (call
    /// <see cref="Learn"/> afterwards to take the REINFORCE step); unrewarded decisions are dropped and the segment
    /// index restarts at 0.</summary>
    public void EndEpisode()
    {
        double ret = 0;
        var returns = new double[_episodeSegments.Count];
        for (int k = _episodeSegments.Count - 1; k >= 0; k--)
            returns[k] = ret = _episodeSegments[k].Reward + Discount * ret;
        if (EpisodesPerUpdate == 1)
            for (int k = 0; k < returns.Length; k++) Credit(k, returns[k], _episodeSegments[k].Decisions);
        else
        {
            _group.Add([.. _episodeSegments.Select((seg, k) => (seg.Decisions, returns[k]))]);
            _groupNoise.Add(_episodeNoise);
            if (_group.Count == EpisodesPerUpdate) CreditGroup();
        }
        _episodeSegments.Clear();
        _pending.Clear();
        _episodeNoise = _episodeOffset = _noOffset;
        _segment = 0;
        Episodes++;
    }
}
