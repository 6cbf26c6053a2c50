using System.Collections.Concurrent;
using AutoLoss.Core.Search;

namespace AutoLoss.Orleans;

/// <summary>
/// The evaluators a worker silo offers, by name. Each is built once per silo, on first use, by its factory (which may
/// load the training data from a path the worker can read), and then serves every trial sent to that name. A factory
/// that throws fails the trial at hand and is run again for the next one.
/// </summary>
public sealed class TrialWorkerCatalog
{
    private readonly ConcurrentDictionary<string, Lazy<WorkerEvaluator>> _evaluators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrialWorkerRegistration> _registrations = new(StringComparer.Ordinal);
    private readonly IServiceProvider _services;

    internal TrialWorkerCatalog(IServiceProvider services, IEnumerable<TrialWorkerRegistration> registrations)
    {
        _services = services;
        foreach (var registration in registrations)
        {
            if (!_registrations.TryAdd(registration.Name, registration))
                throw new ArgumentException($"Two trial evaluators are registered as '{registration.Name}'; give each its own name.");
            _evaluators[registration.Name] = Build(registration);
        }
    }

    private Lazy<WorkerEvaluator> Build(TrialWorkerRegistration registration) =>
        new(() => registration.Create(_services), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The registered names.</summary>
    public IReadOnlyCollection<string> Names => _evaluators.Keys.ToArray();

    /// <summary>Evaluates <paramref name="request"/> and returns its <see cref="TrialResult"/> as JSON; an evaluator that
    /// throws gives a failed result carrying the exception's type and message (the trial is the problem, not the worker).</summary>
    /// <exception cref="ArgumentException">No evaluator is registered under the request's name.</exception>
    /// <exception cref="OperationCanceledException">The client gave the attempt up and the evaluator stopped.</exception>
    internal Task<string> EvaluateAsync(TrialRequest request, CancellationToken cancellationToken)
    {
        if (!_evaluators.TryGetValue(request.Evaluator, out var evaluator))
            throw new ArgumentException($"This worker has no trial evaluator named '{request.Evaluator}' (it has: {string.Join(", ", Names)}). Register it with AddTrialWorkers on every worker silo.");
        WorkerEvaluator built;
        try
        {
            built = evaluator.Value;
        }
        catch
        {
            // A Lazy keeps its factory's exception; replace it so a passing cause (data not yet mounted) is retried
            // by the next trial instead of failing every trial this silo ever receives.
            _evaluators.TryUpdate(request.Evaluator, Build(_registrations[request.Evaluator]), evaluator);
            throw;
        }
        return built.EvaluateAsync(request, cancellationToken);
    }
}

/// <summary>A named factory of a typed evaluator, recorded by <see cref="TrialWorkerSiloBuilderExtensions.AddTrialWorkers"/>.</summary>
internal sealed record TrialWorkerRegistration(string Name, Func<IServiceProvider, WorkerEvaluator> Create);

/// <summary>An <see cref="ITrialEvaluator{TCandidate}"/> behind the JSON wire format: it reads the candidate, runs the
/// evaluation with a reporter that records intermediate values, and writes the result.</summary>
internal abstract class WorkerEvaluator
{
    public abstract Task<string> EvaluateAsync(TrialRequest request, CancellationToken cancellationToken);

    public static WorkerEvaluator For<TCandidate>(ITrialEvaluator<TCandidate> evaluator) => new Typed<TCandidate>(evaluator);

    private sealed class Typed<TCandidate>(ITrialEvaluator<TCandidate> evaluator) : WorkerEvaluator
    {
        public override async Task<string> EvaluateAsync(TrialRequest request, CancellationToken cancellationToken)
        {
            var trial = new Trial<TCandidate>(request.TrialId, SearchJson.Deserialize<TCandidate>(request.CandidateJson), request.Seed);
            var reporter = new RecordingReporter(request.TrialId);
            TrialResult result;
            try
            {
                result = await evaluator.EvaluateAsync(trial, reporter, cancellationToken).ConfigureAwait(false);
                if (result.IntermediateValues.Count == 0) result = result with { IntermediateValues = reporter.Reported };
            }
            // A cancelled attempt has no one waiting for its result: let the cancellation end the call.
            catch (Exception e) when (e is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
            {
                result = TrialResult.Failed($"{e.GetType().Name}: {e.Message}") with { IntermediateValues = reporter.Reported };
            }
            return SearchJson.Serialize(result with { TrialId = request.TrialId });
        }
    }

    /// <summary>Records what the evaluator reports; stopping decisions stay with the client's search.</summary>
    private sealed class RecordingReporter(int trialId) : ITrialReporter
    {
        private readonly List<IntermediateValue> _values = [];

        public int TrialId => trialId;

        public IReadOnlyList<IntermediateValue> Reported => _values;

        public void Report(int step, double value)
        {
            if (_values.Count > 0 && step <= _values[^1].Step)
                throw new ArgumentException($"Step {step} is not after the previously reported step {_values[^1].Step}.", nameof(step));
            _values.Add(new IntermediateValue(step, value));
        }
    }
}
