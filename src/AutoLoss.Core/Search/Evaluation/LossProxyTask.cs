using AutoLoss.Core.Data;
using AutoLoss.Core.Training;

namespace AutoLoss.Core.Search;

/// <summary>
/// One task a loss search scores its candidates on: training rows, validation rows (the fitness is measured there), the
/// student a candidate loss trains (a fresh spec per run), and the short proxy training's settings. Fitness aggregated
/// over several tasks (noisy labels among them, other students) is what makes a searched loss transfer.
/// </summary>
/// <param name="Name">A name for reports, e.g. "digits-noise40".</param>
/// <param name="Task">The task; every proxy task of one search measures the same metric.</param>
/// <param name="Train">The training rows.</param>
/// <param name="Validation">The validation rows the fitness is measured on.</param>
/// <param name="Student">Creates the student spec of one run.</param>
/// <param name="Settings">The proxy training (epochs, batch, learning rate); each trial works on a copy seeded by the trial.</param>
public sealed record LossProxyTask(string Name, TrainingTask Task, ITrainingBatchSource Train, InMemoryDataset Validation, Func<StudentSpec> Student, TrainingSettings Settings);
