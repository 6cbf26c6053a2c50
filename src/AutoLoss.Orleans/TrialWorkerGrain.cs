using System.Diagnostics;
using Orleans.Placement;
using Orleans.Runtime;

namespace AutoLoss.Orleans;

/// <summary>Runs a trial with the silo's registered evaluator. Placed on the silo with the fewest activations (one
/// activation per running trial), so trials spread evenly over the workers; the
/// evaluators (and the training data they hold) belong to the silo's <see cref="TrialWorkerCatalog"/>, not to the
/// activation, so data is loaded once per worker, never per trial.</summary>
[ActivationCountBasedPlacement]
internal sealed class TrialWorkerGrain(TrialWorkerCatalog catalog, ILocalSiloDetails silo) : Grain, ITrialWorkerGrain
{
    public async Task<TrialReply> EvaluateAsync(TrialRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        // On the thread pool, not the grain scheduler: building the evaluator (loading data) on first use, and evaluators
        // that do their work synchronously, would otherwise hold one of the silo's scheduler threads for the whole trial.
        string result = await Task.Run(() => catalog.EvaluateAsync(request, cancellationToken), CancellationToken.None);
        // One trial per activation: let Orleans collect it as soon as the call returns.
        DeactivateOnIdle();
        return new TrialReply(result, silo.SiloAddress.ToString(), clock.Elapsed.TotalSeconds);
    }
}
