namespace AutoLoss.Core.Teaching;

/// <summary>
/// Which student the training loop is about to train. A teacher that asks for teacher episodes
/// (<see cref="ILossTeacher.TeacherEpisodes"/>) sees episodes 0 .. E-1 first, each a freshly initialised
/// student that is discarded afterwards, then the final student (episode E) that the run returns, and with
/// <c>TrainingSettings.RefitOnAllData</c> a refit student (episode E + 1) that replaces it.
/// </summary>
/// <param name="Episode">Zero-based index; equals the number of teacher episodes for the final student.</param>
/// <param name="IsFinal">True for the student the run returns.</param>
/// <param name="Epochs">Epochs this student will train for (the progress t / T_total is relative to them).</param>
/// <param name="IsRefit">True for the refit student (<c>TrainingSettings.RefitOnAllData</c>): a fresh student trained after
/// the final one on the training plus validation rows, which replaces it. Validation data no longer measures anything
/// the student has not seen, so a teacher should not learn from it: replay or freeze what it learned for the final student.</param>
public sealed record StudentRun(int Episode, bool IsFinal, int Epochs, bool IsRefit = false);
