namespace AutoLoss.Orleans;

/// <summary>
/// A grain that evaluates one search trial on the silo it is activated on, with the evaluator registered there under the
/// request's name (<see cref="TrialWorkerSiloBuilderExtensions.AddTrialWorkers"/>). The client gives every attempt its
/// own grain key (from a random start per client evaluator, so searches sharing a cluster do not collide), so Orleans
/// places each attempt anew (on the least busy silo) and a retried trial lands on a fresh activation.
/// </summary>
[Alias("AutoLoss.Orleans.ITrialWorkerGrain")]
public interface ITrialWorkerGrain : IGrainWithIntegerKey
{
    /// <summary>Evaluates the trial. Orleans' own response time-out is lifted (a trial trains a network for minutes); the
    /// client applies <see cref="OrleansTrialOptions.TrialTimeout"/> instead.</summary>
    /// <param name="request">The trial.</param>
    /// <param name="cancellationToken">Cancelled by the client when it gives the attempt up (its time-out, or the search
    /// was cancelled); Orleans carries the cancellation to the worker, whose evaluator then stops training.</param>
    [ResponseTimeout("1.00:00:00")]
    [Alias("Evaluate")]
    Task<TrialReply> EvaluateAsync(TrialRequest request, CancellationToken cancellationToken = default);
}
