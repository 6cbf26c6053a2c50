using static TorchSharp.torch;

namespace AutoLoss.Core.Training;

/// <summary>
/// Builds a freshly initialised student from a seed. Initialisation draws from TorchSharp's process-wide generator, so
/// seeding and building happen under one lock: concurrent runs (parallel search trials) initialise exactly as they would
/// alone.
/// </summary>
internal static class SeededStudent
{
    private static readonly object Gate = new();

    public static nn.Module<Tensor, Tensor> Build(TrainingProblem problem, int seed)
    {
        lock (Gate)
        {
            random.manual_seed(seed);
            return problem.Student.Build(problem.Train.FeatureCount, problem.Task.OutputSize);
        }
    }
}
