using static TorchSharp.torch;

namespace AutoLoss.Core.Training;

/// <summary>
/// Seeded initialisation of students and of teachers' networks. TorchSharp's generator is process-wide, so seeding and
/// the draws that follow happen under one lock: concurrent runs (parallel search trials) initialise exactly as they
/// would alone. Later draws (dropout) still come from the shared generator.
/// </summary>
internal static class TorchSeeding
{
    private static readonly object Gate = new();

    /// <summary>Seeds the generator with <paramref name="seed"/> and runs <paramref name="initialise"/>, alone.</summary>
    public static T Run<T>(int seed, Func<T> initialise)
    {
        lock (Gate)
        {
            random.manual_seed(seed);
            return initialise();
        }
    }

    /// <summary>A freshly initialised student of <paramref name="problem"/> from <paramref name="seed"/>.</summary>
    public static nn.Module<Tensor, Tensor> BuildStudent(TrainingProblem problem, int seed) =>
        Run(seed, () => problem.Student.Build(problem.Train.FeatureCount, problem.Task.OutputSize));
}
