using AutoLoss.Core.Data;
using AutoLoss.Core.Teaching;
using static TorchSharp.torch;

namespace AutoLoss.Core.Training;

/// <summary>One optimiser step of a student, shared by the training loop and by side students (<see cref="SideStudent"/>).</summary>
internal static class StudentStep
{
    /// <summary>Training progress in [0, 1]: steps done over the planned total, or by epochs when the number of
    /// steps per epoch is unknown.</summary>
    public static double Progress(long step, int epoch, long? stepsPerEpoch, int epochs) =>
        stepsPerEpoch is { } spe ? Math.Min(1.0, step / (double)(spe * epochs)) : epoch / (double)epochs;

    /// <summary>Runs the student on the batch, asks <paramref name="loss"/> for the step's scalar loss of that state,
    /// and takes one optimiser step on it. Returns the loss value (the caller checks it is finite). Call inside a
    /// dispose scope.</summary>
    public static double Take(nn.Module<Tensor, Tensor> student, optim.Optimizer optimizer, TensorBatch batch, long step, int epoch,
        double progress, double learningRate, Func<StudentState, Tensor> loss)
    {
        var logits = student.forward(batch.Features);
        var value = loss(new StudentState
        {
            Student = student,
            Features = batch.Features,
            Logits = logits,
            Labels = batch.Labels,
            Weights = batch.Weights,
            Step = step,
            Epoch = epoch,
            Progress = progress,
            LearningRate = learningRate,
        });
        optimizer.zero_grad();
        value.backward();
        optimizer.step();
        return value.item<float>();
    }
}
