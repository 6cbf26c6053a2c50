using Microsoft.ML;

namespace AutoLoss.ML.Trainers;

/// <summary>
/// How one trainer ties ML.NET columns to a core <see cref="TrainingTask"/>: it reads the task from the label column
/// of a schema (checking the column, with an error that names it and the fix), and it offers a task to check options
/// against before any data is seen. Each trainer owns its binding, so a new task's trainer adds one and edits no other.
/// </summary>
/// <param name="OptionCheckTask">A task of the trainer's kind for checks before data is seen (metric names; the loss
/// too when <paramref name="TaskKnownBeforeData"/>).</param>
/// <param name="TaskKnownBeforeData">True when the data cannot change the task (binary, regression); false when it sets
/// part of it (a multiclass label's class count).</param>
/// <param name="ResolveTask">(schema, label column name, data name) to the task, or throws naming LabelColumnName.</param>
internal sealed record TaskBinding(TrainingTask OptionCheckTask, bool TaskKnownBeforeData, Func<DataViewSchema, string, string, TrainingTask> ResolveTask);
