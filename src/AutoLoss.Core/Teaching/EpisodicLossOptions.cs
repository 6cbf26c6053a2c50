namespace AutoLoss;

/// <summary>
/// What the episode-based learned loss methods share (L2T-DLF's teacher, the AutoLoss schedule's controller): the
/// artefact <typeparamref name="TArtefact"/> they learn over teacher episodes, whether it keeps learning while the final
/// student trains, and an optional pretrained artefact that replaces learning. The training loop runs the episodes
/// (<see cref="AutoLoss.Core.Teaching.ILossTeacher.TeacherEpisodes"/>); each method documents its own defaults.
/// </summary>
/// <typeparam name="TArtefact">What the method learns.</typeparam>
public abstract class EpisodicLossOptions<TArtefact> : LossOptions where TArtefact : class, ILearnedLoss
{
    /// <summary>Teacher episodes before the final student: each trains a freshly initialised student for
    /// <see cref="EpisodeEpochs"/> epochs while the method learns, then discards it; the final student starts from its own
    /// initialisation with what was learned so far. At least 0; the default is the method's.</summary>
    public int TeacherEpisodes { get; set; }

    /// <summary>Epochs of each teacher episode's student; null (default) means the run's NumberOfEpochs. The
    /// learning-rate schedule and the training progress are compressed to this length.</summary>
    public int? EpisodeEpochs { get; set; }

    /// <summary>Whether the method keeps learning while the final student trains; the default is the method's. Without
    /// teacher episodes, a method that does not learn during the final student never learns.</summary>
    public bool LearnDuringFinalStudent { get; set; }

    /// <summary>The pretrained artefact the method uses frozen instead of learning (no episodes), or null; set through
    /// the method's own property (e.g. <c>PretrainedTeacher</c>). Not disposed by the run.</summary>
    protected TArtefact? Pretrained { get; set; }

    /// <summary>Raised when a run that learned an artefact ends, with the copy the run hands back (the fitted
    /// model's <c>LearnedLoss</c>, which the model owns and disposes; a search trial disposes it when the trial ends):
    /// clone it to keep it. Raised on the thread that trains, which for parallel search trials is a pool thread.</summary>
    public event Action<TArtefact>? Trained;

    /// <summary>Name of the method's pretrained-artefact property, for messages.</summary>
    protected abstract string PretrainedOptionName { get; }

    /// <summary>Checks the episode settings; throws <see cref="ArgumentException"/> naming the option and the fix.</summary>
    protected void ValidateEpisodes(string optionName)
    {
        if (TeacherEpisodes < 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.TeacherEpisodes is {TeacherEpisodes}; it must be >= 0 (0 = learn with the final student only).");
        if (EpisodeEpochs is <= 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.EpisodeEpochs is {EpisodeEpochs}; it must be positive (or null for the run's NumberOfEpochs).");
        if (Pretrained is null && TeacherEpisodes == 0 && !LearnDuringFinalStudent)
            throw new ArgumentException(
                $"{optionName}: with TeacherEpisodes = 0 and LearnDuringFinalStudent = false the method would never learn; set TeacherEpisodes > 0, " +
                $"LearnDuringFinalStudent = true, or give a {PretrainedOptionName}.", optionName);
    }

    /// <summary>Raises <see cref="Trained"/> and returns <paramref name="artefact"/> (what a run's <c>TakeLearned</c> hands
    /// over); if a handler throws, the artefact is disposed before the error goes on.</summary>
    internal TArtefact OnTrained(TArtefact artefact)
    {
        try
        {
            Trained?.Invoke(artefact);
            return artefact;
        }
        catch
        {
            artefact.Dispose();
            throw;
        }
    }
}
