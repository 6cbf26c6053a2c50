namespace AutoLoss.Core.Search;

/// <summary>
/// The evaluator's line back to the search while a trial runs: it receives the metric's intermediate values and, through
/// <see cref="TrialStoppedException"/>, tells the evaluator to stop a trial judged hopeless.
/// </summary>
/// <remarks>
/// Design: stopping is signalled by an exception rather than a returned flag, so an evaluator deep inside a training loop
/// (an epoch callback, a teacher hook) ends the trial without threading a flag back out; <c>using</c> blocks and dispose
/// scopes release tensors as the exception unwinds. Let the exception propagate (do not swallow it in a general
/// <c>catch</c>); the runner records the trial as <see cref="TrialStatus.StoppedEarly"/> with its best intermediate value.
/// </remarks>
public interface ITrialReporter
{
    /// <summary>The id of the trial this reporter belongs to.</summary>
    int TrialId { get; }

    /// <summary>The values reported so far, in step order.</summary>
    IReadOnlyList<IntermediateValue> Reported { get; }

    /// <summary>Records the metric's <paramref name="value"/> at <paramref name="step"/> and asks the search's stopper
    /// whether the trial is still worth running.</summary>
    /// <exception cref="ArgumentException"><paramref name="step"/> is not larger than the previously reported step.</exception>
    /// <exception cref="TrialStoppedException">The stopper judged the trial hopeless; let it propagate.</exception>
    /// <exception cref="OperationCanceledException">The search was cancelled or ran out of wall time.</exception>
    void Report(int step, double value);
}
