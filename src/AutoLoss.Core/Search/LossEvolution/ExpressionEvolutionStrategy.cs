using System.Diagnostics;

namespace AutoLoss.Core.Search.LossEvolution;

/// <summary>
/// AutoLoss-Zero's evolutionary search over loss expressions, as an ask/tell strategy: an initial generation of random
/// trees (plus any <see cref="ExpressionEvolutionOptions.InitialExpressions"/>), then generations of children bred by
/// tournament selection, subtree crossover and mutation, with the best individuals kept (elitism). Before a child costs a
/// training run it must be well formed (both inputs, height limit), new, pass the <see cref="LossRejectionProtocol"/>,
/// and not be gradient-equivalent to a trained candidate (<see cref="GradientSignature"/>), whose fitness it then takes.
/// </summary>
/// <remarks>Randomness comes from generators derived from the seed and a draw counter, so a strategy restored from
/// <see cref="Save"/> proposes exactly what the saved one would have. A generation ends when all its children are told;
/// the <see cref="SearchRunner{TCandidate}"/> tells a round before asking again, which is what this needs. Every
/// generation after the first trains PopulationSize minus the elite new children; children equivalent to trained ones
/// join for free, and copies of expressions met before are drawn again.</remarks>
public sealed class ExpressionEvolutionStrategy : ISearchStrategy<LossExpression>
{
    private readonly ExpressionEvolutionOptions _options;
    private readonly ExpressionSearchSpace _space;
    private readonly int _classes;
    private readonly GradientSignature _signature = new();
    private ExpressionEvolutionState _state;

    /// <summary>An evolution for a task with <paramref name="numberOfClasses"/> classes (the filters probe that many).</summary>
    /// <exception cref="ArgumentException">An option is out of range, or fewer than 2 classes.</exception>
    public ExpressionEvolutionStrategy(ExpressionEvolutionOptions options, int numberOfClasses, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (numberOfClasses < 2) throw new ArgumentOutOfRangeException(nameof(numberOfClasses), numberOfClasses, "The loss search needs a classification task (at least 2 classes).");
        _options = options;
        _classes = numberOfClasses;
        _space = new ExpressionSearchSpace(options.MaxInitialHeight);
        _state = new ExpressionEvolutionState { Seed = seed, QuotaLeft = options.PopulationSize };
        Training.TorchRuntime.EnsureLoaded();
    }

    /// <summary>The generation being bred (0 is the initial one).</summary>
    public int Generation => _state.Generation;

    /// <summary>The current population, best first (empty until the initial generation is complete).</summary>
    public IReadOnlyList<ScoredExpression> Population => _state.Population;

    /// <summary>One entry per completed generation.</summary>
    public IReadOnlyList<EvolutionGeneration> History => _state.History;

    /// <summary>What the filters did so far.</summary>
    public EvolutionCounts Counts => _state.Counts;

    /// <summary>The best trained expression so far, or null before any result.</summary>
    public ScoredExpression? Best => _state.FitnessByText.Count == 0 ? null
        : _state.FitnessByText.Select(p => new ScoredExpression(p.Key, p.Value)).OrderBy(s => s, Ranking).First();

    private IComparer<ScoredExpression> Ranking => Comparer<ScoredExpression>.Create((a, b) =>
        (_state.HigherIsBetter == true ? b.Fitness.CompareTo(a.Fitness) : a.Fitness.CompareTo(b.Fitness)) is var c && c != 0 ? c : string.CompareOrdinal(a.Expression, b.Expression));

    private double Worst => _state.HigherIsBetter == true ? double.NegativeInfinity : double.PositiveInfinity;

    /// <inheritdoc />
    public IReadOnlyList<LossExpression> Ask(int count)
    {
        var proposals = new List<LossExpression>();
        int free = 0;
        while (proposals.Count < count && !_state.Finished)
        {
            if (_state.QuotaLeft == 0)
            {
                if (_state.Pending.Count > 0) break;
                CloseGeneration();
                continue;
            }
            var (candidate, known) = ProduceOne();
            if (candidate is null) { _state.QuotaLeft = 0; continue; }
            // An equivalent child joins the offspring with its known fitness for free; the quota counts trained children.
            if (known is { } fitness)
            {
                _state.Offspring.Add(new ScoredExpression(candidate.ToString(), fitness));
                if (++free >= _options.MaxAttemptsPerCandidate) _state.QuotaLeft = 0;   // a population that only breeds equivalents is done
                continue;
            }
            _state.QuotaLeft--;
            _state.Pending.Add(candidate.ToString());
            _state.Counts.Trained++;
            _state.GenerationTrained++;
            proposals.Add(candidate);
        }
        return proposals;
    }

    /// <inheritdoc />
    public void Tell(Trial<LossExpression> trial, TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(result);
        string text = trial.Candidate.ToString();
        if (!_state.Pending.Remove(text)) throw new InvalidOperationException($"Told the result of \"{text}\", which this strategy has not proposed or was told already.");
        _state.HigherIsBetter = result.HigherIsBetter;
        double fitness = double.IsFinite(result.MetricValue) ? result.MetricValue : Worst;
        _state.FitnessByText[text] = fitness;
        if (_state.SignatureByText.TryGetValue(text, out var signature)) _state.FitnessBySignature[signature] = fitness;
        _state.Offspring.Add(new ScoredExpression(text, fitness));
    }

    /// <inheritdoc />
    public void Save(Stream stream) => SearchJson.WriteDocument(stream, _state);

    /// <inheritdoc />
    public void Restore(Stream stream) => _state = SearchJson.ReadDocument<ExpressionEvolutionState>(stream);

    /// <summary>The next candidate: to train (known null), with a fitness already known (gradient-equivalent to a trained one),
    /// or null when <see cref="ExpressionEvolutionOptions.MaxAttemptsPerCandidate"/> draws in a row all failed.</summary>
    private (LossExpression? Candidate, double? Known) ProduceOne()
    {
        for (int attempt = 0; attempt < _options.MaxAttemptsPerCandidate; attempt++)
        {
            var random = new Random(TrialSeed.Derive(_state.Seed, (int)_state.Draws++));
            var candidate = Draw(random);
            if (candidate.Height > _options.MaxHeight || !candidate.UsesPrediction || !candidate.UsesLabel) { _state.Counts.Malformed++; continue; }
            string text = candidate.ToString();
            if (_state.Pending.Contains(text) || _state.FitnessByText.ContainsKey(text) || _state.Rejected.Contains(text))
            {
                // Met before (trained, rejected or equivalent): its fitness is cached, and a copy would only cost the
                // population its diversity, so draw again.
                _state.Counts.Duplicates++;
                _state.GenerationDuplicates++;
                continue;
            }
            var verdict = Screen(candidate, text);
            if (verdict == Verdict.Rejected) continue;
            if (verdict == Verdict.Equivalent) return (candidate, _state.FitnessBySignature[_state.SignatureByText[text]]);
            return (candidate, null);
        }
        return (null, null);
    }

    private enum Verdict { Train, Rejected, Equivalent }

    private Verdict Screen(LossExpression candidate, string text)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var loss = new ExpressionLoss(candidate);
            if (_options.Rejection is { } protocol && !protocol.Accepts(loss, _classes)) return Reject(text);
            if (!_options.GradientEquivalenceCheck) return Verdict.Train;
            string? signature = _signature.Of(loss, _classes);
            if (signature is null) return Reject(text);
            _state.SignatureByText[text] = signature;
            if (_state.FitnessBySignature.TryGetValue(signature, out double known))
            {
                _state.FitnessByText[text] = known;
                _state.Counts.SkippedEquivalent++;
                _state.GenerationSkipped++;
                return Verdict.Equivalent;
            }
            // A candidate equivalent to one still being trained waits for a later draw rather than costing a second run.
            return _state.Pending.Any(p => _state.SignatureByText.GetValueOrDefault(p) == signature) ? Reject(text, counts: false) : Verdict.Train;
        }
        finally
        {
            _state.Counts.FilterTime += clock.Elapsed;
        }
    }

    private Verdict Reject(string text, bool counts = true)
    {
        if (!counts) return Verdict.Rejected;
        _state.Rejected.Add(text);
        _state.Counts.Rejected++;
        _state.GenerationRejected++;
        return Verdict.Rejected;
    }

    private LossExpression Draw(Random random)
    {
        if (_state.Generation == 0)
            return _state.InitialUsed < _options.InitialExpressions.Count ? _options.InitialExpressions[_state.InitialUsed++] : _space.Sample(random);
        var child = Tournament(random);
        if (random.NextDouble() < _options.CrossoverProbability) child = ExpressionVariation.Crossover(child, Tournament(random), random);
        if (random.NextDouble() < _options.MutationProbability) child = ExpressionVariation.Mutate(child, random);
        return child;
    }

    private LossExpression Tournament(Random random)
    {
        ScoredExpression? best = null;
        for (int i = 0; i < _options.TournamentSize; i++)
        {
            var contender = _state.Population[random.Next(_state.Population.Count)];
            if (best is null || Ranking.Compare(contender, best) < 0) best = contender;
        }
        return LossExpression.Parse(best!.Expression);
    }

    private int EliteCount => Math.Max(1, (int)Math.Ceiling(_options.EliteFraction * _options.PopulationSize));

    /// <summary>Ends the generation: the next population is the elite of the old one plus the best children (topped up from
    /// the old population when too few children came), and a history entry is written.</summary>
    private void CloseGeneration()
    {
        int size = _options.PopulationSize;
        var children = _state.Offspring.DistinctBy(s => s.Expression).OrderBy(s => s, Ranking).ToList();
        var old = _state.Population;
        var next = old.Take(_state.Generation == 0 ? 0 : EliteCount).ToList();
        next.AddRange(children.Where(c => next.All(n => n.Expression != c.Expression)).Take(size - next.Count));
        next.AddRange(old.Where(o => next.All(n => n.Expression != o.Expression)).Take(size - next.Count));
        _state.Population = next.OrderBy(s => s, Ranking).ToList();
        _state.Offspring.Clear();
        if (_state.Population.Count > 0)
        {
            var finite = _state.Population.Where(s => double.IsFinite(s.Fitness)).Select(s => s.Fitness).DefaultIfEmpty(double.NaN);
            _state.History.Add(new EvolutionGeneration(_state.Generation, _state.Population[0].Expression, _state.Population[0].Fitness, finite.Average(),
                _state.GenerationTrained, _state.GenerationRejected, _state.GenerationSkipped, _state.GenerationDuplicates));
        }
        _state.GenerationTrained = _state.GenerationRejected = _state.GenerationSkipped = _state.GenerationDuplicates = 0;
        _state.Generation++;
        _state.Finished = _state.Generation >= _options.Generations || _state.Population.Count == 0;
        _state.QuotaLeft = size - EliteCount;
    }
}
