using AutoLoss.Core.Students;
using static TorchSharp.torch;

namespace AutoLoss.ML.Scoring;

/// <summary>Runs a trained student on the CPU without graph and returns class probabilities
/// softmax(f_w(x)): batches through TorchSharp, single rows through a managed copy of the network
/// where one exists (<see cref="ManagedMlp"/>). Owns the student network.</summary>
internal sealed class StudentScorer : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _student;
    private readonly ManagedMlp? _singleRow;
    private bool _disposed;

    public StudentScorer(nn.Module<Tensor, Tensor> student, StudentSpec spec, int featureCount, int classCount)
    {
        _student = student;
        _student.eval();
        _singleRow = ManagedMlp.TryCreate(spec, student);
        Spec = spec;
        FeatureCount = featureCount;
        ClassCount = classCount;
    }

    public StudentSpec Spec { get; }
    public int FeatureCount { get; }
    public int ClassCount { get; }

    /// <summary>The network (for saving its weights).</summary>
    public nn.Module<Tensor, Tensor> Student => _student;

    /// <summary>Writes probabilities [rows, C] for features [rows, F] (row-major) into <paramref name="probabilities"/>.</summary>
    public void Predict(float[] features, int rows, Span<float> probabilities)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (features.Length < (long)rows * FeatureCount || probabilities.Length < (long)rows * ClassCount)
            throw new ArgumentException("Scoring buffers are smaller than the batch.");
        if (rows == 1 && _singleRow is not null)
        {
            // One row (PredictionEngine): the managed forward avoids TorchSharp's per-op overhead.
            _singleRow.PredictProbabilities(features.AsSpan(0, FeatureCount), probabilities[..ClassCount]);
            return;
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = features.Length == rows * FeatureCount
            ? tensor(features, [rows, FeatureCount])
            : tensor(features.AsSpan(0, rows * FeatureCount).ToArray(), [rows, FeatureCount]);
        var probs = nn.functional.softmax(_student.forward(input), 1);
        probs.data<float>().CopyTo(probabilities[..(rows * ClassCount)]);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _student.Dispose();
    }
}
