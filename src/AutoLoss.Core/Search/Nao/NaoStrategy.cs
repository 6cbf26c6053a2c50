using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.Core.Search.Nao;

/// <summary>
/// Neural Architecture Optimization as an ask/tell strategy: evaluate <see cref="NaoOptions.SeedArchitectures"/> random
/// architectures; then, each round, train the <see cref="NaoController"/> on every evaluated architecture (performance
/// normalised into (0, 1), plus equivalent sequences), move the embeddings of the best ones along the predictor's
/// gradient, e' = e + eta * grad f(e), doubling eta until the decoded architecture is new, and propose those. Architectures
/// above <see cref="NaoOptions.MaxParameters"/> are never proposed. When the moves find fewer new architectures than a
/// round needs, random ones fill the round (so the budget is spent either way).
/// </summary>
public sealed class NaoStrategy : ISearchStrategy<int[]>, IDisposable
{
    private readonly IArchitectureSpace _space;
    private readonly NaoOptions _options;
    private NaoState _state;
    private NaoController? _controller;

    /// <summary>A NAO search over <paramref name="space"/> seeded by <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public NaoStrategy(IArchitectureSpace space, NaoOptions options, int seed)
    {
        _space = space ?? throw new ArgumentNullException(nameof(space));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        _state = new NaoState { Seed = seed };
        TorchRuntime.EnsureLoaded();
    }

    /// <summary>Every architecture evaluated so far, with its metric value.</summary>
    public IReadOnlyList<EvaluatedArchitecture> Pool => _state.Pool;

    /// <summary>Completed controller rounds.</summary>
    public int Round => _state.Round;

    /// <summary>The controller of the last round (null before the first); owned by this strategy.</summary>
    public NaoController? Controller => _controller;

    /// <inheritdoc />
    public IReadOnlyList<int[]> Ask(int count)
    {
        var proposals = new List<int[]>();
        while (proposals.Count < count)
        {
            if (_state.SeedProposed < _options.SeedArchitectures)
            {
                var random = NextRandom();
                var candidate = DrawNew(random) ?? throw new InvalidOperationException("The space has no new architecture within the parameter limit left to draw.");
                _state.SeedProposed++;
                proposals.Add(Propose(candidate));
                continue;
            }
            if (_state.Queue.Count == 0)
            {
                if (_state.Pending > 0 || proposals.Count > 0 || _state.Round >= _options.Rounds) break;
                _state.Queue = NextRound();
                _state.Round++;
                if (_state.Queue.Count == 0) break;
            }
            var next = _state.Queue[0];
            _state.Queue.RemoveAt(0);
            proposals.Add(Propose(next));
        }
        return proposals;
    }

    /// <inheritdoc />
    public void Tell(Trial<int[]> trial, TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(result);
        _state.Pending--;
        _state.HigherIsBetter = result.HigherIsBetter;
        if (double.IsFinite(result.MetricValue)) _state.Pool.Add(new EvaluatedArchitecture(_space.Canonical(trial.Candidate), result.MetricValue));
    }

    /// <summary>The fraction of pairs of <paramref name="architectures"/> the predictor orders as their values are ordered
    /// (NAO's pairwise accuracy; 0.5 is chance).</summary>
    public static double PairwiseAccuracy(NaoController controller, IReadOnlyList<EvaluatedArchitecture> architectures, bool higherIsBetter)
    {
        ArgumentNullException.ThrowIfNull(controller);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var predicted = controller.Predict(controller.Encode(Tokens(architectures.Select(a => a.Tokens)))).data<float>().ToArray();
        int right = 0, pairs = 0;
        for (int i = 0; i < architectures.Count; i++)
            for (int j = i + 1; j < architectures.Count; j++)
            {
                double truth = architectures[i].Value - architectures[j].Value;
                if (truth == 0) continue;
                pairs++;
                if (Math.Sign(predicted[i] - predicted[j]) == Math.Sign(higherIsBetter ? truth : -truth)) right++;
            }
        return pairs == 0 ? double.NaN : (double)right / pairs;
    }

    /// <summary>Trains a fresh controller on <paramref name="architectures"/> (values normalised into (0.1, 0.9), better is
    /// higher; equivalent sequences added) and returns it.</summary>
    public NaoController TrainController(IReadOnlyList<EvaluatedArchitecture> architectures, bool higherIsBetter, int seed)
    {
        double min = architectures.Min(a => a.Value), max = architectures.Max(a => a.Value), range = Math.Max(max - min, 1e-12);
        var random = new Random(seed);
        var rows = new List<(int[] Tokens, float Target)>();
        foreach (var a in architectures)
        {
            float target = (float)(0.1 + 0.8 * (higherIsBetter ? a.Value - min : max - a.Value) / range);
            rows.Add((a.Tokens, target));
            foreach (var twin in _space.Equivalents(a.Tokens, _options.AugmentationCopies, random)) rows.Add((twin, target));
        }
        var controller = new NaoController(_space.PositionSizes, _options.EmbeddingSize, _options.HiddenSize, seed);
        using var scope = NewDisposeScope();
        var tokens = Tokens(rows.Select(r => r.Tokens));
        var targets = tensor(rows.Select(r => r.Target).ToArray());
        using var adam = optim.Adam(controller.parameters(), _options.ControllerLearningRate);
        for (int epoch = 0; epoch < _options.ControllerEpochs; epoch++)
        {
            using var step = NewDisposeScope();
            adam.zero_grad();
            controller.Loss(tokens, targets, _options.TradeOff).backward();
            adam.step();
        }
        return controller;
    }

    /// <inheritdoc />
    public void Save(Stream stream)
    {
        if (_controller is not null)
        {
            using var weights = new MemoryStream();
            using (var writer = new BinaryWriter(weights, System.Text.Encoding.UTF8, leaveOpen: true)) _controller.save(writer);
            _state.ControllerWeights = Convert.ToBase64String(weights.ToArray());
        }
        SearchJson.WriteDocument(stream, _state);
    }

    /// <inheritdoc />
    public void Restore(Stream stream)
    {
        var state = SearchJson.ReadDocument<NaoState>(stream);
        NaoController? controller = null;
        if (state.ControllerWeights is { } weights)
        {
            controller = new NaoController(_space.PositionSizes, _options.EmbeddingSize, _options.HiddenSize, state.Seed);
            using var reader = new BinaryReader(new MemoryStream(Convert.FromBase64String(weights)));
            try { controller.load(reader); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                controller.Dispose();
                throw new InvalidDataException("The saved NAO controller does not fit this space and these options: " + e.Message, e);
            }
        }
        _controller?.Dispose();
        (_state, _controller) = (state, controller);
    }

    /// <inheritdoc />
    public void Dispose() => _controller?.Dispose();

    private int[] Propose(int[] candidate)
    {
        _state.Proposed.Add(_space.Key(candidate)!);
        _state.Pending++;
        return candidate;
    }

    private Random NextRandom() => new(TrialSeed.Derive(_state.Seed, (int)_state.Draws++));

    private bool Admissible(int[] candidate) =>
        !_state.Proposed.Contains(_space.Key(candidate)!) && (_options.MaxParameters is not { } limit || _space.ParameterCount(candidate, _options.InputSize, _options.OutputSize) <= limit);

    private int[]? DrawNew(Random random)
    {
        for (int attempt = 0; attempt < 10_000; attempt++)
        {
            var candidate = _space.Sample(random);
            if (Admissible(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Trains the controller and moves the best embeddings along grad f until each decodes to a new architecture.</summary>
    private List<int[]> NextRound()
    {
        if (_state.Pool.Count < 2) return [];
        bool higher = _state.HigherIsBetter ?? true;
        _controller?.Dispose();
        _controller = TrainController(_state.Pool, higher, TrialSeed.Derive(_state.Seed, -1 - _state.Round));
        var top = _state.Pool.OrderBy(a => higher ? -a.Value : a.Value).Take(_options.TopArchitectures).ToList();
        var found = new List<int[]>();
        var keys = new HashSet<string>(_state.Proposed);
        using var scope = NewDisposeScope();
        foreach (var seed in top)
        {
            if (found.Count >= _options.NewPerRound) break;
            var embedding = _controller.Encode(Tokens([seed.Tokens])).detach().requires_grad_(true);
            var gradient = autograd.grad([_controller.Predict(embedding).sum()], [embedding])[0];
            for (int doubling = 0; doubling <= _options.MaxStepDoublings; doubling++)
            {
                double eta = _options.InitialStepSize * Math.Pow(2, doubling);
                using var noGrad = no_grad();
                var decoded = _space.Canonical(_controller.Decode(embedding + gradient * eta).data<long>().Select(t => (int)t).ToArray());
                if (Admissible(decoded) && keys.Add(_space.Key(decoded)!)) { found.Add(decoded); break; }
            }
        }
        while (found.Count < _options.NewPerRound && DrawNew(NextRandom()) is { } filler)
            if (keys.Add(_space.Key(filler)!)) found.Add(filler);
        return found;
    }

    private static Tensor Tokens(IEnumerable<int[]> sequences)
    {
        var rows = sequences.ToList();
        return tensor(rows.SelectMany(r => r.Select(t => (long)t)).ToArray(), [rows.Count, rows[0].Length]);
    }
}
