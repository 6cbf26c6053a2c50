using AutoLoss.Core.Data;
using AutoLoss.Core.Teaching;
using static TorchSharp.torch;

namespace AutoLoss.Core.Training;

/// <summary>
/// A student that a teacher trains beside the run's own student (ALA's child models): same architecture,
/// optimiser, learning-rate schedule and training data, but its own initialisation and batch order (from its
/// seed). The teacher advances it a few steps at a time with <see cref="TrainSteps"/>, possibly on another
/// thread; one side student must not be used from two threads at once.
/// </summary>
public sealed class SideStudent : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _student;
    private readonly optim.Optimizer _optimizer;
    private readonly ITrainingBatchSource _data;
    private readonly TrainingSettings _settings;
    private readonly Device _device;
    private readonly int _seed;
    private readonly long? _stepsPerEpoch;
    private IEnumerator<IBatchData>? _batches;
    private int _epoch = -1;
    private long _step;

    internal SideStudent(nn.Module<Tensor, Tensor> student, optim.Optimizer optimizer, ITrainingBatchSource data,
        TrainingSettings settings, Device device, int seed, long? stepsPerEpoch)
    {
        _student = student;
        _optimizer = optimizer;
        _data = data;
        _settings = settings;
        _device = device;
        _seed = seed;
        _stepsPerEpoch = stepsPerEpoch;
    }

    /// <summary>The side student's network (for validation passes; do not train it directly).</summary>
    public nn.Module<Tensor, Tensor> Module => _student;

    /// <summary>Steps taken so far.</summary>
    public long Step => _step;

    /// <summary>Takes <paramref name="count"/> optimiser steps on <paramref name="loss"/> (a scalar loss of the
    /// state, like <see cref="ILossTeacher.ComputeLoss"/>), moving to the next epoch (and its learning rate)
    /// when the data runs out, until <paramref name="maxEpochs"/> epochs are done.</summary>
    /// <returns>The number of steps actually taken (fewer when the epoch budget ran out).</returns>
    /// <exception cref="InvalidOperationException">The loss became non-finite.</exception>
    public int TrainSteps(int count, int maxEpochs, Func<StudentState, Tensor> loss, CancellationToken cancellationToken)
    {
        _student.train();
        for (int taken = 0; taken < count; taken++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!NextBatch(maxEpochs, out var batch))
                return taken;
            using var scope = NewDisposeScope();
            double v = StudentStep.Take(_student, _optimizer, batch.ToTensors(_device), _step, _epoch,
                StudentStep.Progress(_step, _epoch, _stepsPerEpoch, maxEpochs), _optimizer.ParamGroups.First().LearningRate, loss);
            if (!double.IsFinite(v))
                throw new InvalidOperationException($"A side student diverged: its loss became {v} at step {_step + 1}. Lower LearningRate (now {_settings.LearningRate}).");
            _step++;
        }
        return count;
    }

    private bool NextBatch(int maxEpochs, out IBatchData batch)
    {
        while (_batches is null || !_batches.MoveNext())
        {
            _batches?.Dispose();
            if (++_epoch >= maxEpochs)
            {
                _batches = null;
                batch = null!;
                _epoch = maxEpochs; // stays exhausted
                return false;
            }
            double lr = _settings.LearningRateAt(_epoch);
            foreach (var group in _optimizer.ParamGroups) group.LearningRate = lr;
            _batches = _data.ReadEpoch(_epoch, _settings.BatchSize, _seed).GetEnumerator();
        }
        batch = _batches.Current;
        return true;
    }

    /// <summary>Releases the network, the optimiser and the batch stream.</summary>
    public void Dispose()
    {
        _batches?.Dispose();
        _optimizer.Dispose();
        _student.Dispose();
    }
}
