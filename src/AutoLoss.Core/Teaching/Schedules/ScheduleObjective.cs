using System.Globalization;
using AutoLoss.Core.Losses;
using AutoLoss.Core.Teaching;
using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// One objective an AutoLoss schedule can choose to step on: a name and a scalar loss of the student's state at a
/// step (it must stay connected to the student's graph). The built-ins are the task loss and an L1 penalty on the
/// student's weights; any auxiliary objective can be added as a function of <see cref="StudentState"/>.
/// </summary>
public sealed class ScheduleObjective
{
    private readonly Func<StudentState, TrainingTask, Tensor> _loss;

    private ScheduleObjective(string name, Func<StudentState, TrainingTask, Tensor> loss)
    {
        Name = name;
        _loss = loss;
    }

    /// <summary>Name used in logs and reports.</summary>
    public string Name { get; }

    /// <summary>The objective's scalar value (with graph) for a step of a student learning <paramref name="task"/>.</summary>
    public Tensor Evaluate(StudentState state, TrainingTask task) => _loss(state, task);

    /// <summary>The task loss, <see cref="TrainingTask.TaskLoss"/>: cross-entropy for classification, squared error for
    /// regression (weighted mean when the data has example weights).</summary>
    public static ScheduleObjective TaskLoss { get; } = new("task loss", (state, task) =>
    {
        using var perExample = task.TaskLoss.Compute(state.Logits, state.Labels);
        return LossReduction.Mean(perExample, state.Weights);
    });

    /// <summary>lambda x ||W||_1, the L1 norm of the student's weight matrices (biases excluded), times
    /// <paramref name="strength"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="strength"/> is not positive and finite.</exception>
    public static ScheduleObjective L1Penalty(double strength)
    {
        if (!(strength > 0) || !double.IsFinite(strength))
            throw new ArgumentOutOfRangeException(nameof(strength), $"The L1 strength is {strength}; it must be a positive number (e.g. 0.01).");
        return new($"L1 penalty (x {strength.ToString("G3", CultureInfo.InvariantCulture)})", (state, _) => WeightL1(state.Student).mul(strength));
    }

    /// <summary>A user objective, e.g. an auxiliary loss of the student's outputs.</summary>
    /// <param name="name">Name for logs.</param>
    /// <param name="loss">The scalar loss of a step's state (connected to the student's graph).</param>
    public static ScheduleObjective Custom(string name, Func<StudentState, Tensor> loss)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(loss);
        return new(name, (state, _) => loss(state));
    }

    /// <summary>||W||_1 over the parameters with two or more dimensions (weight matrices, not biases).</summary>
    public static Tensor WeightL1(nn.Module<Tensor, Tensor> student)
    {
        Tensor? total = null;
        foreach (var p in student.parameters())
        {
            if (p.dim() < 2) continue;
            var norm = p.abs().sum();
            total = total is null ? norm : total.add(norm);
        }
        return total ?? tensor(0f);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
