namespace AutoLoss.Orleans;

/// <summary>A trial as it travels to a worker: which registered evaluator scores it, the trial's id and seed, and its
/// candidate as JSON text (<see cref="AutoLoss.Core.Search.SearchJson"/>), so any JSON-serialisable candidate type can
/// be shipped without Orleans knowing it.</summary>
/// <param name="Evaluator">The name the evaluator is registered under on the workers.</param>
/// <param name="TrialId">The trial's id.</param>
/// <param name="Seed">The trial's seed: the same seed gives the same result on any worker.</param>
/// <param name="CandidateJson">The candidate, serialised with the search's JSON settings.</param>
[GenerateSerializer, Immutable, Alias("AutoLoss.Orleans.TrialRequest")]
public sealed record TrialRequest([property: Id(0)] string Evaluator, [property: Id(1)] int TrialId, [property: Id(2)] int Seed, [property: Id(3)] string CandidateJson);

/// <summary>A worker's answer: the trial's result as JSON text (a failed result when the evaluator threw), where it
/// ran, and how long the evaluation itself took on the worker (so the client can tell the cluster's overhead apart).</summary>
/// <param name="ResultJson">The <see cref="AutoLoss.Core.Search.TrialResult"/>, serialised with the search's JSON settings.</param>
/// <param name="Worker">The silo that evaluated the trial.</param>
/// <param name="EvaluationSeconds">Wall time of the evaluation on the worker.</param>
[GenerateSerializer, Immutable, Alias("AutoLoss.Orleans.TrialReply")]
public sealed record TrialReply([property: Id(0)] string ResultJson, [property: Id(1)] string Worker, [property: Id(2)] double EvaluationSeconds);
