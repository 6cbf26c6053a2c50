using AutoLoss.Core.Teaching;
using AutoLoss.Core.Teaching.Schedules;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>Episode-level exploration of a <see cref="ScheduleController"/>: one Gaussian logit offset per episode,
/// the output bias moved towards the offsets whose episodes did better, and its average settled at the end.</summary>
public sealed partial class ScheduleController
{
    /// <summary>Starts an episode: with <see cref="EpisodeExploration"/> above 0, draws the episode's logit offset
    /// z = sigma x eps from <paramref name="random"/> (eps negated from the previous episode's on every second call);
    /// otherwise does nothing. Call it before the episode's first <see cref="Choose"/>.</summary>
    public void BeginEpisode(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!Learns || EpisodeExploration == 0) return;
        if (_episodesBegun++ % 2 == 1)
            _episodeNoise = [.. _drawnNoise.Select(e => -e)];
        else
        {
            _drawnNoise = new float[Choices];
            for (int j = 0; j < Choices; j++)   // Box-Muller
                _drawnNoise[j] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
            _episodeNoise = _drawnNoise;
        }
        _episodeOffset = [.. _episodeNoise.Select(e => (float)(EpisodeExploration * e))];
    }

    /// <summary>The episode-level REINFORCE step of <see cref="EpisodeExploration"/>: bias += sigma x T x mean_e(A_e x eps_e),
    /// with A_e the whole-episode advantages <paramref name="raw"/> over their root mean square and eps_e the episodes'
    /// <paramref name="noise"/>.</summary>
    private void MoveOutputBias(double[] raw, float[][] noise)
    {
        double rms = Math.Sqrt(raw.Average(r => r * r));
        if (!(rms > 0)) return;
        var step = new float[Choices];
        for (int i = 0; i < raw.Length; i++)
            for (int j = 0; j < Choices; j++)
                step[j] += (float)(EpisodeExploration * Temperature * raw[i] / rms * noise[i][j] / raw.Length);
        using var noGrad = no_grad();
        _output.bias!.add_(tensor(step));
        _biasIterates.Add(_output.bias!.data<float>().ToArray());
        Updates++;
    }

    /// <summary>Ends the episode-level exploration's learning: sets the output bias to the mean of its values after the
    /// second half of its moves (Polyak-Ruppert averaging). Each move goes up to about sigma in a noisy direction, so
    /// near the best mix the last value wanders around it by about a move; the average settles on it. Call it once the
    /// training episodes are over (the schedule does, after its last training episode); does nothing without moves.</summary>
    public void SettleExploration()
    {
        if (_biasIterates.Count == 0) return;
        var last = _biasIterates.Skip(_biasIterates.Count / 2).ToArray();
        var mean = new float[Choices];
        foreach (var b in last)
            for (int j = 0; j < Choices; j++) mean[j] += b[j] / last.Length;
        using var noGrad = no_grad();
        _output.bias!.copy_(tensor(mean));
        _biasIterates.Clear();
    }
}
