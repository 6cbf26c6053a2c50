using AutoLoss;
using AutoLoss.Core.Teaching.Schedules;

namespace GanSchedule;

/// <summary>
/// AutoLoss's controller deciding, at every step, whether the discriminator (choice 0) or the generator (choice 1)
/// steps. Its state has the authors' four values: training progress, ln of the discriminator's and of the generator's
/// recent loss over their first values, and the discriminator's share of the steps since the last reward. Every
/// <see cref="RewardEvery"/> steps (the cadence the controller records, so that its saved file carries it) it is rewarded
/// with the relative change of the inception-style score of a small batch of samples.
/// </summary>
internal sealed class LearnedSchedule(ScheduleController controller, int seed)
{
    private readonly Random _random = new(seed);
    private double _firstD, _firstG, _recentD, _recentG, _firstScore, _lastScore;
    private int _sinceReward, _discriminatorSteps;

    public int RewardEvery { get; } = controller.RewardEvery
        ?? throw new ArgumentException("Give the controller its RewardEvery (the steps between two rewards).", nameof(controller));

    /// <summary>Starts an episode: a fresh GAN whose initial sample score is <paramref name="initialScore"/>.</summary>
    public void Begin(double initialScore)
    {
        _firstD = _firstG = _recentD = _recentG = 0;
        _firstScore = _lastScore = initialScore;
        _sinceReward = _discriminatorSteps = 0;
    }

    /// <summary>Chooses the next player at <paramref name="progress"/>.</summary>
    public bool NextIsDiscriminator(double progress)
    {
        float[] state =
        [
            (float)progress,
            (float)Math.Clamp(_firstD > 0 ? Math.Log(_recentD / _firstD) : 0, -5, 5),
            (float)Math.Clamp(_firstG > 0 ? Math.Log(_recentG / _firstG) : 0, -5, 5),
            _sinceReward == 0 ? 0.5f : _discriminatorSteps / (float)_sinceReward,
        ];
        bool discriminator = controller.Choose(state, _random) == 0;
        if (discriminator) _discriminatorSteps++;
        _sinceReward++;
        return discriminator;
    }

    /// <summary>Records the loss of the step just taken.</summary>
    public void Observe(bool discriminator, double loss)
    {
        ref double first = ref discriminator ? ref _firstD : ref _firstG;
        ref double recent = ref discriminator ? ref _recentD : ref _recentG;
        if (first == 0) first = recent = Math.Max(loss, 1e-6);
        else recent = 0.9 * recent + 0.1 * Math.Max(loss, 1e-6);
    }

    /// <summary>Ends a segment: with a <paramref name="score"/> (while learning) rewards it with the score's relative
    /// improvement and updates theta; without one (a frozen controller) only restarts the share window of the state.</summary>
    public void EndSegment(double? score)
    {
        _sinceReward = _discriminatorSteps = 0;
        if (score is not { } now) return;
        double reward = (now - _lastScore) / Math.Max(_firstScore, 1e-6);
        _lastScore = now;
        controller.Reward(reward);
        controller.Learn();
    }
}
