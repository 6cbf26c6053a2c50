namespace AutoLoss.Orleans;

/// <summary>
/// A grain that evaluates one search trial on the silo it is activated on, with the evaluator registered there under the
/// request's name (<see cref="TrialWorkerSiloBuilderExtensions.AddTrialWorkers"/>). The client gives every attempt its
/// own grain key, so Orleans places each attempt anew (on the least busy silo) and a retried trial lands on a fresh
/// activation.
/// </summary>
[Alias("AutoLoss.Orleans.ITrialWorkerGrain")]
public interface ITrialWorkerGrain : IGrainWithIntegerKey
{
    /// <summary>Evaluates the trial. Orleans' own response time-out is lifted (a trial trains a network for minutes); the
    /// client applies <see cref="OrleansTrialOptions.TrialTimeout"/> instead.</summary>
    [ResponseTimeout("1.00:00:00")]
    [Alias("Evaluate")]
    Task<TrialReply> EvaluateAsync(TrialRequest request);
}
