using AutoLoss.Core.Students;
using AutoLoss.ML.Data;
using static TorchSharp.torch;

namespace AutoLoss.ML.Scoring;

/// <summary>Runs a trained student on the CPU without graph and returns its outputs in the task's
/// terms: class probabilities softmax(f_w(x)) for a classifier, the prediction in label units
/// (<see cref="LabelStandardization.Restore"/> of f_w(x)) for a regression student. Batches go
/// through TorchSharp, single rows through a managed copy of the network where one exists
/// (<see cref="ManagedMlp"/>). Owns the student network, shared by its holders: the model plus one per
/// <see cref="AddHolder"/>; the network is freed when the last holder disposes.</summary>
internal sealed class StudentScorer : IBatchScorer, IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _student;
    private readonly ManagedMlp? _singleRow;
    private readonly object _gate = new();
    private int _holders = 1;
    private volatile bool _disposed;

    private readonly TrainingTask _task;

    private StudentScorer(nn.Module<Tensor, Tensor> student, StudentSpec spec, int featureCount, TrainingTask task, LabelStandardization? regression)
    {
        _task = task;
        int outputSize = task.OutputSize;
        _student = student;
        _student.eval();
        // The managed one-row forward returns probabilities or the raw prediction; an embedding is scored by the task.
        _singleRow = task is EmbeddingTask ? null : ManagedMlp.TryCreate(spec, student);
        Spec = spec;
        FeatureCount = featureCount;
        OutputSize = outputSize;
        Regression = regression;
    }

    /// <summary>Scores class probabilities (takes ownership of <paramref name="student"/>).</summary>
    public static StudentScorer Classifier(nn.Module<Tensor, Tensor> student, StudentSpec spec, int featureCount, int classCount) =>
        new(student, spec, featureCount, TrainingTask.Multiclass(classCount), regression: null);

    /// <summary>Scores the student's L2-normalised embedding of <paramref name="embeddingSize"/> values (takes ownership of <paramref name="student"/>).</summary>
    public static StudentScorer Embedder(nn.Module<Tensor, Tensor> student, StudentSpec spec, int featureCount, int embeddingSize) =>
        new(student, spec, featureCount, new EmbeddingTask(embeddingSize), regression: null);

    /// <summary>Scores regression predictions, mapping the one output back with <paramref name="scaling"/>
    /// (takes ownership of <paramref name="student"/>).</summary>
    public static StudentScorer Regressor(nn.Module<Tensor, Tensor> student, StudentSpec spec, int featureCount, LabelStandardization scaling) =>
        new(student, spec, featureCount, TrainingTask.Regression, scaling);

    /// <summary>The task whose scores the outputs are (probabilities, a prediction, or an embedding).</summary>
    public TrainingTask Task => _task;

    public StudentSpec Spec { get; }

    /// <summary>Length of the feature column the student was trained on.</summary>
    public int FeatureCount { get; }

    /// <summary>Values per input row: <see cref="FeatureCount"/>, or 2M (slot, value) pairs for a sparse-input student.</summary>
    public int RowWidth => FeatureRowWriter.Width(FeatureCount, FeatureRowWriter.MaxNonZeroOf(Spec));

    /// <summary>A writer of this student's input rows (one per reader).</summary>
    public FeatureRowWriter CreateRowWriter() => new(FeatureCount, FeatureRowWriter.MaxNonZeroOf(Spec));

    /// <summary>Outputs per row: C class probabilities, or 1 regression prediction.</summary>
    public int OutputSize { get; }

    /// <summary>The label scaling of a regression student; null for a classifier.</summary>
    public LabelStandardization? Regression { get; }

    /// <summary>The network (for saving its weights).</summary>
    public nn.Module<Tensor, Tensor> Student => _student;

    /// <summary>Writes outputs [rows, OutputSize] for input rows [rows, <see cref="RowWidth"/>] (row-major, from
    /// <see cref="CreateRowWriter"/>) into <paramref name="outputs"/>.</summary>
    public void Predict(float[] features, int rows, Span<float> outputs)
    {
        int width = RowWidth;
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (features.Length < (long)rows * width || outputs.Length < (long)rows * OutputSize)
            throw new ArgumentException("Scoring buffers are smaller than the batch.");
        var result = outputs[..(rows * OutputSize)];
        if (rows == 1 && _singleRow is not null)
        {
            // One row (PredictionEngine): the managed forward avoids TorchSharp's per-op overhead.
            if (Regression is null)
                _singleRow.PredictProbabilities(features.AsSpan(0, width), result);
            else
                _singleRow.Predict(features.AsSpan(0, width), result);
        }
        else
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            // A tensor over a managed array inherits the array's address; MKL's kernels round differently at
            // different alignments, so the same rows could score a last bit apart in two models (or before and after
            // save/load). A clone lives in libtorch's aligned memory, so equal weights always give equal scores.
            using var pinned = features.Length == rows * width
                ? tensor(features, [rows, width])
                : tensor(features.AsSpan(0, rows * width).ToArray(), [rows, width]);
            var input = pinned.clone();
            var output = _task.Score(_student.forward(input));   // the task's scores: probabilities, or the prediction
            output.data<float>().CopyTo(result);
        }
        if (Regression is { } scaling)
            for (int i = 0; i < result.Length; i++) result[i] = scaling.Restore(result[i]);
    }

    /// <summary>Registers one more holder, which must call <see cref="Dispose"/> once when done.</summary>
    /// <exception cref="ObjectDisposedException">The network has already been freed.</exception>
    public void AddHolder()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _holders++;
        }
    }

    /// <summary>Lets go of one holder's share; frees the network when it was the last one.</summary>
    public void Dispose() => Release();

    /// <summary><see cref="Dispose"/>; true when this call freed the network (the last share).</summary>
    public bool Release()
    {
        lock (_gate)
        {
            if (_disposed || --_holders > 0) return false;
            _disposed = true;
        }
        _student.Dispose();
        return true;
    }
}
