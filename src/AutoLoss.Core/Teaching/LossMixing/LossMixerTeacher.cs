using AutoLoss.Core.Losses;
using AutoLoss.Core.Optimization;
using AutoLoss.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.LossMixing;

/// <summary>
/// The <see cref="ILossTeacher"/> of <see cref="LossMixingOptions"/>: the student minimises mean_i sum_k w_ik l_ik with
/// w_i = GumbelSoftmax(V(s_i), tau_t) held fixed in the student's step, and (unless the controller is pretrained) V takes
/// one Adam step on a validation batch every few student steps.
/// </summary>
internal sealed class LossMixerTeacher : ILossTeacher
{
    private readonly LossMixingOptions _options;
    private readonly IPerExampleLoss[] _candidates;
    private readonly int _classes;
    private readonly bool _learn;
    private bool _learningNow;
    private StudentRun _run = new(0, true, 1);
    private TeachingContext _context = null!;
    private LossMixerController? _model;
    private optim.Optimizer? _optimizer;
    private Generator? _generator;
    private Random _random = new(0);
    private int _stepsSinceUpdate;
    private readonly double[] _weightSums;
    private long _weightRows;
    private double _temperature;

    public LossMixerTeacher(LossMixingOptions options, int classes)
    {
        _options = options;
        _candidates = options.Candidates.ToArray();
        _classes = classes;
        _learn = options.PretrainedController is null;
        _weightSums = new double[_candidates.Length];
        _temperature = options.InitialTemperature;
    }

    public void Begin(TeachingContext context)
    {
        _context = context;
        _random = new Random(context.Seed ^ 0x3A1C_5EED);
        _generator = new Generator((ulong)(uint)(context.Seed + 104_729));
        if (_learn)
        {
            if (context.Validation is null || context.Validation.Count == 0)
                throw new ArgumentException("Loss mixing learns its controller from validation data; set ValidationFraction (e.g. 0.1) or ValidationData, or give a PretrainedController.", "Loss");
            if (_options.Update == LossMixingUpdate.OneStepLookAhead && context.StudentSpec is not IFunctionalStudent)
                throw new NotSupportedException(
                    $"Loss.Update = OneStepLookAhead differentiates through the student's step with its functional form (IFunctionalStudent), which {context.StudentSpec} " +
                    "does not offer; use LossMixingUpdate.FirstOrder (any student) or a student spec such as MlpSpec.");
            var names = _candidates.Select(c => c.Name).ToArray();
            _model = TorchSeeding.Run(context.Seed + 7919, () => new LossMixerController(names, _classes, _options.ControllerHiddenSize)).To(context.Device);
            _optimizer = optim.Adam(_model.Parameters(), lr: _options.ControllerLearningRate);
        }
        else
        {
            _model = _options.PretrainedController!.Clone().To(context.Device);
        }
    }

    public int TeacherEpisodes => _learn ? _options.TeacherEpisodes : 0;

    public int EpisodeEpochs => _options.EpisodeEpochs ?? _context.Epochs;

    public void BeginStudent(StudentRun run)
    {
        _run = run;
        _learningNow = _learn && !run.IsRefit && (!run.IsFinal || _options.LearnDuringFinalStudent);
        _stepsSinceUpdate = 0;
        ResetWeights();
    }

    public Tensor ComputeLoss(StudentState state)
    {
        var model = _model ?? throw new InvalidOperationException("Begin was not called.");
        using var scope = NewDisposeScope();
        var values = stack(_candidates.Select(c => c.Compute(state.Logits, state.Labels)).ToArray(), 1);
        _temperature = GumbelSoftmax.Temperature(_options.InitialTemperature, _options.FinalTemperature, state.Progress);
        var s = LossMixerState.Compute(values, state.Logits, state.Labels, _classes).to_type(ScalarType.Float32);
        if (_learningNow && ++_stepsSinceUpdate >= _options.StudentStepsPerControllerUpdate)
        {
            _stepsSinceUpdate = 0;
            UpdateController(state, values, s);
        }
        Tensor w;
        using (no_grad())
        {
            w = GumbelSoftmax.Sample(model.Forward(s), _temperature, _generator!).to_type(values.dtype);
            var sums = w.sum(0).to_type(ScalarType.Float64).cpu().data<double>().ToArray();
            for (int k = 0; k < sums.Length; k++) _weightSums[k] += sums[k];
            _weightRows += w.shape[0];
        }
        return LossReduction.Mean(values.mul(w).sum(1), state.Weights).MoveToOuterDisposeScope();
    }

    /// <summary>One Adam step on V: descends the validation cross-entropy after the student's step on the V-mixed loss
    /// (first order or one-step look-ahead, <see cref="LossMixingUpdate"/>).</summary>
    private void UpdateController(StudentState state, Tensor values, Tensor s)
    {
        var model = _model!;
        var (devX, devY) = DevBatch();
        double xi = _options.LookAheadLearningRate > 0 ? _options.LookAheadLearningRate : state.LearningRate;
        var controllerParameters = model.Parameters().ToList<Tensor>();
        Tensor objective = _options.Update == LossMixingUpdate.OneStepLookAhead
            ? LookAheadObjective(state, devX, devY, xi)
            : FirstOrderObjective(state, values, s, devX, devY, xi);
        if (!double.IsFinite(objective.to_type(ScalarType.Float64).item<double>()))
            throw new InvalidOperationException("Loss mixing: the controller's objective became non-finite; lower ControllerLearningRate or the student's LearningRate.");
        var gradients = AutogradGuard.Grad(objective, controllerParameters, createGraph: false, retainGraph: true);
        _optimizer!.zero_grad();
        // d/dV of sum(V * g) is g: hands the computed gradients to the optimiser.
        var surrogate = controllerParameters.Zip(gradients, (p, g) => p.mul(g.detach()).sum()).Aggregate((a, b) => a.add(b));
        surrogate.backward();
        _optimizer.step();
        model.Updates++;
    }

    /// <summary>-xi g_val(w)^T grad_w L_train(w, V), with g_val the validation gradient at the current weights.</summary>
    private Tensor FirstOrderObjective(StudentState state, Tensor values, Tensor s, Tensor devX, Tensor devY, double xi)
    {
        var student = state.Student;
        var parameters = student.parameters().Where(p => p.requires_grad).ToList<Tensor>();
        Tensor[] validationGradient;
        student.eval();
        try
        {
            var devLoss = nn.functional.cross_entropy(student.call(devX.to_type(state.Features.dtype)), devY);
            // A user's module may hold parameters its forward pass never uses: they get zeros, not a libtorch abort.
            validationGradient = AutogradGuard.Grad(devLoss, parameters, createGraph: false, retainGraph: false, zerosForUnused: true);
        }
        finally
        {
            student.train();
        }
        var w = GumbelSoftmax.Sample(_model!.Forward(s), _temperature, _generator!).to_type(values.dtype);
        var trainLoss = LossReduction.Mean(values.mul(w).sum(1), state.Weights);
        var trainGradient = AutogradGuard.Grad(trainLoss, parameters, createGraph: true, retainGraph: true, zerosForUnused: true);
        return trainGradient.Zip(validationGradient, (g, v) => g.mul(v.detach()).sum()).Aggregate((a, b) => a.add(b)).mul(-xi);
    }

    /// <summary>L_val(w - xi grad_w L_train(w, V)), differentiated through the student's step.</summary>
    private Tensor LookAheadObjective(StudentState state, Tensor devX, Tensor devY, double xi)
    {
        var spec = (IFunctionalStudent)_context.StudentSpec;
        var w0 = state.Student.parameters().Select(p => p.detach().to_type(ScalarType.Float32)).ToList<Tensor>();
        var shapes = spec.ParameterShapes(_context.FeatureCount, _classes);
        if (w0.Count != shapes.Count || w0.Zip(shapes).Any(z => !z.First.shape.SequenceEqual(z.Second)))
            throw new InvalidOperationException($"The student's parameters do not match {spec}'s layout; use LossMixingUpdate.FirstOrder.");
        var batch = new UnrollBatch(state.Features.detach().to_type(ScalarType.Float32), state.Labels.detach(), xi);
        return DifferentiableUnroll.Run(spec, w0, [batch],
            (outputs, lossOutputs, b, _) =>
            {
                var vals = stack(_candidates.Select(c => c.Compute(lossOutputs, b.Labels)).ToArray(), 1);
                var st = LossMixerState.Compute(vals, outputs, b.Labels, _classes).to_type(ScalarType.Float32);
                var w = GumbelSoftmax.Sample(_model!.Forward(st), _temperature, _generator!).to_type(vals.dtype);
                return vals.mul(w).sum(1).mean();
            },
            w1 => nn.functional.cross_entropy(spec.Forward(devX.to_type(ScalarType.Float32), w1, training: false), devY),
            _context.CancellationToken);
    }

    private (Tensor X, Tensor Y) DevBatch()
    {
        var validation = _context.Validation!;
        int n = validation.Count, size = Math.Min(_options.DevBatchSize, n);
        var indices = new long[size];
        for (int i = 0; i < size; i++) indices[i] = _random.Next(n);
        var index = tensor(indices).to(validation.Features.device);
        return (validation.Features.index_select(0, index), validation.Labels.index_select(0, index));
    }

    public void AfterStep(StepOutcome outcome) { }

    public void AfterEpoch(EpochSummary summary)
    {
        var mean = _weightSums.Select(s => _weightRows > 0 ? s / _weightRows : 0).ToArray();
        _options.OnEpoch(new LossMixingEpochReport(_run.Episode, _run.IsFinal, summary.Epoch, _temperature, mean,
            summary.ValidationAccuracy is { } a ? 1 - a : null, _model?.Updates ?? 0));
        _context.Log($"Loss mixing: {(_run.IsFinal ? "" : $"teacher episode {_run.Episode + 1}, ")}epoch {summary.Epoch + 1}, tau {_temperature:F3}, mean weights " +
                     string.Join(", ", _candidates.Select((c, k) => $"{c.Name} {mean[k]:F3}")) + $"; {_model?.Updates ?? 0} controller updates so far.");
        ResetWeights();
    }

    private void ResetWeights()
    {
        Array.Clear(_weightSums);
        _weightRows = 0;
    }

    public ILearnedLoss? TakeLearned() => _learn && _model is not null ? _options.OnTrained(_model.Clone()) : null;

    public void Dispose()
    {
        _optimizer?.Dispose();
        _model?.Dispose();
        _generator?.Dispose();
    }
}
