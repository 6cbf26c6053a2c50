using AutoLoss.Core.Training;
using AutoLoss.Core.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.L2tDlf;

/// <summary>
/// The <see cref="ILossTeacher"/> of <see cref="L2tDlfLossOptions"/>: gives the student the dynamic loss
/// l_{Phi_t} with (Phi_t, b_t) = mu_theta(s_t), and (unless the teacher is pretrained and frozen) updates
/// theta online every K student steps by unrolling T steps from a copy of the student's current weights
/// on the last T training batches and descending dM~/dtheta with Adam.
/// </summary>
internal sealed class L2tDlfTeacher : ILossTeacher
{
    private readonly L2tDlfLossOptions _options;
    private readonly int _classes;
    private readonly bool _learn;
    private bool _learningNow;
    private StudentRun _run = new(0, true, 1);
    private readonly Queue<L2tDlfBatch> _recent = new();
    private TeachingContext _context = null!;
    private L2tDlfTeacherModel? _model;
    private optim.Optimizer? _optimizer;
    private IFunctionalStudent? _spec;
    private Tensor? _cost;
    private Random _random = new(0);
    private nn.Module<Tensor, Tensor>? _student;
    private double _movingLoss;
    private int _stepsSinceUpdate;
    private bool _memoryChecked;
    private double _lastDiag = 1, _lastBias, _lastOffDiagonal, _lastOffDiagonalSigned;

    public L2tDlfTeacher(L2tDlfLossOptions options, int numberOfClasses)
    {
        _options = options;
        _classes = numberOfClasses;
        _learn = options.PretrainedTeacher is null;
    }

    public void Begin(TeachingContext context)
    {
        _context = context;
        _movingLoss = Math.Log(_classes);
        _random = new Random(context.Seed ^ 0x5EED_1D1F);
        if (_learn)
        {
            _spec = context.StudentSpec as IFunctionalStudent ?? throw new NotSupportedException(
                $"L2T-DLF learns its teacher by unrolling the student's SGD steps through its functional form (IFunctionalStudent), which " +
                $"{context.StudentSpec} does not offer. Use a student spec that implements IFunctionalStudent (e.g. MlpSpec), or give a PretrainedTeacher (frozen; it works with any student).");
            if (context.Validation is null || context.Validation.Count == 0)
                throw new ArgumentException("L2T-DLF learns its teacher from validation data; set ValidationFraction (e.g. 0.1) or ValidationData.", "Loss");
            CheckMemory(batchSize: 1);
            var cost = _options.CostMatrix ?? SmoothedMetric.ZeroOneCost(_classes);
            var flat = new float[_classes * _classes];
            for (int i = 0; i < _classes; i++)
                for (int j = 0; j < _classes; j++)
                    flat[i * _classes + j] = cost[i, j];
            _cost = tensor(flat, [_classes, _classes]).to(context.Device).DetachFromDisposeScope();
            _model = TorchSeeding.Run(context.Seed + 7919, () =>
                new L2tDlfTeacherModel(_classes, _options.TeacherHiddenSize, _options.InitialBias, _options.ResolveInitialPhi(_classes), _options.FixedScale).To(context.Device, ScalarType.Float32));
            _optimizer = optim.Adam(_model.Parameters(), lr: _options.TeacherLearningRate);
        }
        else
        {
            _model = _options.PretrainedTeacher!.Clone().To(context.Device, ScalarType.Float32);
        }
    }

    public int TeacherEpisodes => _learn ? _options.TeacherEpisodes : 0;

    public int EpisodeEpochs => _options.EpisodeEpochs ?? _context.Epochs;

    public void BeginStudent(StudentRun run)
    {
        _run = run;
        _learningNow = _learn && !run.IsRefit && (!run.IsFinal || _options.LearnDuringFinalStudent);
        ClearRecent();
        _movingLoss = Math.Log(_classes);
        _stepsSinceUpdate = 0;
        _student = null;
    }

    public void EndStudent(StudentRun run, EpochSummary last)
    {
        string what = run.IsRefit ? "refit student (teacher frozen)" : run.IsFinal ? "final student" : $"teacher episode {run.Episode + 1} of {_options.TeacherEpisodes}";
        string dev = last.ValidationAccuracy is { } acc ? $"dev error {(1 - acc) * 100:F2}%" : "no dev data";
        _context.Log($"L2T-DLF {what} done after {last.Epoch + 1} epochs: {dev}; {_model?.TeacherUpdates ?? 0} teacher updates so far.");
    }

    public Tensor ComputeLoss(StudentState state)
    {
        var model = _model ?? throw new InvalidOperationException("Begin was not called.");
        if (_learningNow)
        {
            if (!_memoryChecked)
            {
                CheckMemory((int)state.Features.shape[0]);
                _memoryChecked = true;
            }
            _student = state.Student;
            double eta = _options.UnrollLearningRate > 0 ? _options.UnrollLearningRate : state.LearningRate;
            using (no_grad())
            {
                _recent.Enqueue(new L2tDlfBatch(
                    state.Features.detach().to_type(ScalarType.Float32).clone().DetachFromDisposeScope(),
                    state.Labels.detach().clone().DetachFromDisposeScope(), state.Progress, eta));
            }
            while (_recent.Count > _options.UnrollSteps)
            {
                var old = _recent.Dequeue();
                old.Features.Dispose();
                old.Labels.Dispose();
            }
        }

        using var scope = NewDisposeScope();
        Tensor phi, bias;
        using (no_grad())
        {
            var logits = state.Logits.detach().to_type(model.DType);
            using var previous = tensor(_movingLoss, dtype: model.DType, device: logits.device);
            var s = L2tDlfState.Compute(logits, state.Labels, state.Progress, previous, out var moving);
            _movingLoss = moving.to_type(ScalarType.Float64).item<double>();
            (phi, bias) = model.Forward(s);
            phi = phi.to_type(state.Logits.dtype);
            bias = bias.to_type(state.Logits.dtype);
            _lastDiag = phi.diagonal().mean().to_type(ScalarType.Float64).item<double>();
            _lastBias = bias.to_type(ScalarType.Float64).item<double>();
            var offDiagonal = phi.sub(diag(phi.diagonal()));
            _lastOffDiagonal = offDiagonal.abs().sum().div(_classes * (_classes - 1)).to_type(ScalarType.Float64).item<double>();
            _lastOffDiagonalSigned = offDiagonal.sum().div(_classes * (_classes - 1)).to_type(ScalarType.Float64).item<double>();
        }
        var perExample = ParametricLoss.PerExample(state.Logits, state.Labels, phi, bias);
        return LossReduction.Mean(perExample, state.Weights).MoveToOuterDisposeScope();
    }

    public void AfterStep(StepOutcome outcome)
    {
        if (!_learningNow) return;
        if (++_stepsSinceUpdate < _options.StudentStepsPerTeacherUpdate || _recent.Count < _options.UnrollSteps || _student is null) return;
        _stepsSinceUpdate = 0;
        UpdateTeacher(outcome.Step);
    }

    public void AfterEpoch(EpochSummary summary)
    {
        _options.OnEpoch(new L2tDlfEpochReport(_run.Episode, _run.IsFinal, summary.Epoch, summary.ValidationAccuracy is { } a ? 1 - a : null,
            _lastDiag, _lastOffDiagonalSigned, _lastOffDiagonal, _lastBias, _model?.TeacherUpdates ?? 0));
        _context.Log($"L2T-DLF: {(_run.IsFinal ? "" : $"teacher episode {_run.Episode + 1}, ")}after epoch {summary.Epoch + 1}, Phi_t has mean diagonal {_lastDiag:F4}, mean off-diagonal {_lastOffDiagonalSigned:F4} (|.| {_lastOffDiagonal:F4}) and b_t {_lastBias:F4}; {_model?.TeacherUpdates ?? 0} teacher updates so far.");
    }

    private void UpdateTeacher(long step)
    {
        var model = _model!;
        var validation = _context.Validation!;
        using var scope = NewDisposeScope();
        int n = validation.Count, devSize = Math.Min(_options.DevBatchSize, n);
        var indices = Enumerable.Range(0, n).OrderBy(_ => _random.Next()).Take(devSize).Select(i => (long)i).ToArray();
        var index = tensor(indices).to(validation.Features.device);
        var devX = validation.Features.index_select(0, index).to_type(ScalarType.Float32);
        var devY = validation.Labels.index_select(0, index);
        var w0 = _student!.parameters().Select(p => p.detach().to_type(ScalarType.Float32)).ToList<Tensor>();
        var shapes = _spec!.ParameterShapes(_context.FeatureCount, _classes);
        if (w0.Count != shapes.Count || w0.Zip(shapes).Any(z => !z.First.shape.SequenceEqual(z.Second)))
            throw new InvalidOperationException($"The student's parameters do not match {_spec}'s layout; L2T-DLF cannot unroll it.");

        var metric = L2tDlfUnroll.DevMetric(model, _spec, w0, _recent.ToList(), _movingLoss, devX, devY, _cost!, _context.CancellationToken);
        double value = metric.item<float>();
        if (!double.IsFinite(value))
            throw new InvalidOperationException($"L2T-DLF: the dev metric M~ became {value} during a teacher update; lower TeacherLearningRate or the student's LearningRate.");
        _optimizer!.zero_grad();
        metric.backward();
        _optimizer.step();
        model.TeacherUpdates++;
        _context.Log($"L2T-DLF teacher update {model.TeacherUpdates} at step {step + 1}: dev M~ after {_options.UnrollSteps} unrolled steps {value:F4}; " +
                     $"current Phi_t mean diagonal {_lastDiag:F4}, mean |off-diagonal| {_lastOffDiagonal:F4}, b_t {_lastBias:F4}.");
    }

    private void CheckMemory(int batchSize)
    {
        long perStep = Optimization.DifferentiableUnroll.EstimateBytesPerStep(_spec!, _context.FeatureCount, _classes, batchSize);
        double megabytes = perStep * (double)_options.UnrollSteps / (1024 * 1024);
        if (megabytes > _options.MaxUnrollMegabytes)
            throw new ArgumentException(
                $"Loss.UnrollSteps = {_options.UnrollSteps} would keep about {megabytes:F0} MB of unrolled graph for {_spec} (batch {batchSize}), above " +
                $"Loss.MaxUnrollMegabytes = {_options.MaxUnrollMegabytes}; lower UnrollSteps (at most {(long)(_options.MaxUnrollMegabytes * 1024 * 1024 / perStep)}) or raise MaxUnrollMegabytes.", "Loss");
    }

    private void ClearRecent()
    {
        while (_recent.Count > 0)
        {
            var b = _recent.Dequeue();
            b.Features.Dispose();
            b.Labels.Dispose();
        }
    }

    public ILearnedLoss? TakeLearned() => _learn && _model is not null ? _options.OnTrained(_model.Clone()) : null;

    public void Dispose()
    {
        ClearRecent();
        _optimizer?.Dispose();
        _model?.Dispose();
        _cost?.Dispose();
    }
}
