using static TorchSharp.torch;

namespace AutoLoss.Core.Losses;

/// <summary>
/// The Phi-parametric loss with constant parameters, s x l_Phi = -s x sigmoid(y^T Phi log p + b)
/// (<see cref="ParametricLoss.PerExample"/>). Phi and b become tensors on the outputs' device at the first call and
/// are released by <see cref="Dispose"/>.
/// </summary>
public sealed class FixedPhiLoss : IPerExampleLoss, IDisposable
{
    private readonly float[] _phi;
    private readonly int _classes;
    private readonly float _bias, _scale;
    private Tensor? _phiTensor, _biasTensor;

    /// <summary>A loss with Phi given row-major (C x C, row = true class), bias b and scale s.</summary>
    public FixedPhiLoss(float[] phi, int classes, float bias, float scale)
    {
        if (classes < 2 || phi.Length != classes * classes)
            throw new ArgumentException($"Phi must hold {classes} x {classes} values; it holds {phi.Length}.", nameof(phi));
        _phi = (float[])phi.Clone();
        _classes = classes;
        _bias = bias;
        _scale = scale;
    }

    /// <inheritdoc />
    public string Name => "parametric";

    /// <inheritdoc />
    public void Validate(TrainingTask task, string optionName)
    {
        var classification = ClassificationLossCheck.Require(task, "the parametric loss", optionName);
        if (classification.NumberOfClasses != _classes)
            throw new ArgumentException($"{optionName}.Phi is {_classes} x {_classes} but the label has {classification.NumberOfClasses} classes.", optionName);
    }

    /// <inheritdoc />
    public Tensor Compute(Tensor outputs, Tensor labels)
    {
        var device = outputs.device;
        if (_phiTensor is not null && _phiTensor.device != device) Dispose();   // the outputs moved: follow them
        if (outputs.dim() != 2 || outputs.shape[1] != _classes)
            throw new ArgumentException($"The parametric loss's Phi is {_classes} x {_classes}; the outputs are [{string.Join(", ", outputs.shape)}].", nameof(outputs));
        _phiTensor ??= tensor(_phi, [_classes, _classes]).to(device).DetachFromDisposeScope();
        _biasTensor ??= tensor(_bias).to(device).DetachFromDisposeScope();
        var perExample = ParametricLoss.PerExample(outputs, labels, _phiTensor, _biasTensor);
        if (_scale == 1) return perExample;
        using (perExample) return perExample.mul(_scale);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _phiTensor?.Dispose();
        _biasTensor?.Dispose();
        _phiTensor = _biasTensor = null;
    }
}
