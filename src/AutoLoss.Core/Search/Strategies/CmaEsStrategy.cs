namespace AutoLoss.Core.Search;

/// <summary>
/// The covariance matrix adaptation evolution strategy (CMA-ES, Hansen's (mu/mu_w, lambda) form with rank-one and
/// rank-mu updates and cumulative step-size adaptation) over real vectors, as an ask/tell strategy: each generation
/// draws lambda candidates x_k = m + sigma B D z_k from N(m, sigma^2 C), and once all are told, moves m to the weighted
/// mean of the best mu = lambda/2, adapts C from the evolution path p_c and the selected steps, and sigma from the
/// conjugate path p_sigma. Used for the Taylor-polynomial loss search; any real-vector search can use it.
/// </summary>
/// <remarks>Failed and cancelled trials (NaN metric) rank last. Each generation's draws come from a generator seeded
/// by (seed, generation), so a strategy restored from <see cref="Save"/> proposes what the saved one would have.
/// All of a generation's candidates must be told before it updates; the <see cref="SearchRunner{TCandidate}"/> does so.</remarks>
public sealed class CmaEsStrategy : ISearchStrategy<double[]>
{
    private readonly CmaEsOptions _options;
    private readonly int _n, _lambda, _mu;
    private readonly double[] _weights;
    private readonly double _muEff, _cSigma, _dSigma, _cC, _c1, _cMu, _chiN;
    private CmaEsState _state;

    /// <summary>A CMA-ES seeded by <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public CmaEsStrategy(CmaEsOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _n = options.InitialMean.Count;
        _lambda = options.Lambda;
        _mu = _lambda / 2;
        var raw = Enumerable.Range(1, _mu).Select(i => Math.Log(_mu + 0.5) - Math.Log(i)).ToArray();
        double sum = raw.Sum();
        _weights = raw.Select(w => w / sum).ToArray();
        _muEff = 1 / _weights.Sum(w => w * w);
        _cSigma = (_muEff + 2) / (_n + _muEff + 5);
        _dSigma = 1 + 2 * Math.Max(0, Math.Sqrt((_muEff - 1) / (_n + 1)) - 1) + _cSigma;
        _cC = (4 + _muEff / _n) / (_n + 4 + 2 * _muEff / _n);
        _c1 = 2 / ((_n + 1.3) * (_n + 1.3) + _muEff);
        _cMu = Math.Min(1 - _c1, 2 * (_muEff - 2 + 1 / _muEff) / ((_n + 2) * (_n + 2) + _muEff));
        _chiN = Math.Sqrt(_n) * (1 - 1.0 / (4 * _n) + 1.0 / (21.0 * _n * _n));
        _state = new CmaEsState
        {
            Seed = seed,
            Mean = options.InitialMean.ToArray(),
            Sigma = options.InitialSigma,
            Covariance = Enumerable.Range(0, _n).Select(i => Enumerable.Range(0, _n).Select(j => i == j ? 1.0 : 0.0).ToArray()).ToArray(),
            SigmaPath = new double[_n],
            CovariancePath = new double[_n],
        };
    }

    /// <summary>Candidates per generation, lambda.</summary>
    public int PopulationSize => _lambda;

    /// <summary>Completed generations.</summary>
    public int Generation => _state.Generation;

    /// <summary>The current mean m.</summary>
    public IReadOnlyList<double> Mean => _state.Mean;

    /// <summary>The current step size sigma.</summary>
    public double Sigma => _state.Sigma;

    /// <summary>One entry per completed generation.</summary>
    public IReadOnlyList<CmaEsGeneration> History => _state.History;

    /// <inheritdoc />
    public IReadOnlyList<double[]> Ask(int count)
    {
        if (_state.Generation >= _options.Generations) return [];
        _state.Samples ??= Draw();
        int take = Math.Min(count, _lambda - _state.Proposed);
        var proposals = new List<double[]>(Math.Max(0, take));
        for (int i = 0; i < take; i++) proposals.Add((double[])_state.Samples[_state.Proposed++].Clone());
        return proposals;
    }

    /// <inheritdoc />
    public void Tell(Trial<double[]> trial, TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(result);
        int index = -1;
        for (int k = 0; k < _state.Proposed && index < 0; k++)
            if (double.IsNaN(_state.Fitness[k]) && _state.Samples![k].AsSpan().SequenceEqual(trial.Candidate)) index = k;
        if (index < 0) throw new InvalidOperationException("Told the result of a candidate this generation has not proposed, or told it twice.");
        _state.HigherIsBetter = result.HigherIsBetter;
        // An untold sample is NaN; a failed trial is stored as the worst value so it still counts as told.
        _state.Fitness[index] = double.IsFinite(result.MetricValue) ? result.MetricValue : (result.HigherIsBetter ? double.NegativeInfinity : double.PositiveInfinity);
        if (_state.Proposed == _lambda && _state.Fitness.All(f => !double.IsNaN(f))) Update();
    }

    /// <inheritdoc />
    public void Save(Stream stream) => SearchJson.WriteDocument(stream, _state);

    /// <inheritdoc />
    public void Restore(Stream stream)
    {
        var state = SearchJson.ReadDocument<CmaEsState>(stream);
        if (state.Mean.Length != _n) throw new InvalidDataException($"The saved CMA-ES state has dimension {state.Mean.Length}; this strategy searches {_n}.");
        _state = state;
    }

    private double[][] Draw()
    {
        var (basis, scales) = Factor();
        var random = new Random(TrialSeed.Derive(_state.Seed, _state.Generation));
        var samples = new double[_lambda][];
        for (int k = 0; k < _lambda; k++)
        {
            var z = Enumerable.Range(0, _n).Select(_ => Gaussian(random)).ToArray();
            samples[k] = new double[_n];
            for (int i = 0; i < _n; i++)
            {
                double y = 0;
                for (int j = 0; j < _n; j++) y += basis[i, j] * scales[j] * z[j];
                samples[k][i] = _state.Mean[i] + _state.Sigma * y;
            }
        }
        _state.Fitness = Enumerable.Repeat(double.NaN, _lambda).ToArray();
        _state.Proposed = 0;
        return samples;
    }

    /// <summary>B and D of C = B D^2 B^T (D the square roots of the eigenvalues, floored at a tiny positive value).</summary>
    private (double[,] Basis, double[] Scales) Factor()
    {
        var (values, vectors) = SymmetricEigen.Decompose(_state.Covariance);
        return (vectors, values.Select(v => Math.Sqrt(Math.Max(v, 1e-20))).ToArray());
    }

    private void Update()
    {
        var samples = _state.Samples!;
        bool higher = _state.HigherIsBetter == true;
        var order = Enumerable.Range(0, _lambda).OrderBy(k => higher ? -_state.Fitness[k] : _state.Fitness[k]).ThenBy(k => k).ToArray();
        var old = _state.Mean;
        var steps = order.Take(_mu).Select(k => samples[k].Select((x, i) => (x - old[i]) / _state.Sigma).ToArray()).ToArray();
        var yw = new double[_n];
        for (int r = 0; r < _mu; r++)
            for (int i = 0; i < _n; i++) yw[i] += _weights[r] * steps[r][i];
        _state.Mean = old.Select((m, i) => m + _state.Sigma * yw[i]).ToArray();

        // p_sigma <- (1 - c_sigma) p_sigma + sqrt(c_sigma (2 - c_sigma) mu_eff) C^(-1/2) y_w
        var (basis, scales) = Factor();
        var whitened = new double[_n];
        for (int j = 0; j < _n; j++)
        {
            double projection = 0;
            for (int i = 0; i < _n; i++) projection += basis[i, j] * yw[i];
            for (int i = 0; i < _n; i++) whitened[i] += basis[i, j] * projection / scales[j];
        }
        double sigmaRate = Math.Sqrt(_cSigma * (2 - _cSigma) * _muEff);
        for (int i = 0; i < _n; i++) _state.SigmaPath[i] = (1 - _cSigma) * _state.SigmaPath[i] + sigmaRate * whitened[i];
        double pathNorm = Math.Sqrt(_state.SigmaPath.Sum(v => v * v));
        bool hSigma = pathNorm / Math.Sqrt(1 - Math.Pow(1 - _cSigma, 2 * (_state.Generation + 1))) < (1.4 + 2.0 / (_n + 1)) * _chiN;

        // p_c and the rank-one plus rank-mu update of C
        double cRate = Math.Sqrt(_cC * (2 - _cC) * _muEff);
        for (int i = 0; i < _n; i++) _state.CovariancePath[i] = (1 - _cC) * _state.CovariancePath[i] + (hSigma ? cRate * yw[i] : 0);
        double correction = hSigma ? 0 : _cC * (2 - _cC);
        for (int i = 0; i < _n; i++)
            for (int j = 0; j < _n; j++)
            {
                double rankMu = 0;
                for (int r = 0; r < _mu; r++) rankMu += _weights[r] * steps[r][i] * steps[r][j];
                _state.Covariance[i][j] = (1 - _c1 - _cMu) * _state.Covariance[i][j]
                    + _c1 * (_state.CovariancePath[i] * _state.CovariancePath[j] + correction * _state.Covariance[i][j])
                    + _cMu * rankMu;
            }
        _state.Sigma *= Math.Exp(_cSigma / _dSigma * (pathNorm / _chiN - 1));

        var finite = _state.Fitness.Where(double.IsFinite).DefaultIfEmpty(double.NaN);
        _state.History.Add(new CmaEsGeneration(_state.Generation, _state.Fitness[order[0]], finite.Average(), (double[])samples[order[0]].Clone(), _state.Sigma));
        _state.Generation++;
        _state.Samples = null;
        _state.Proposed = 0;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
