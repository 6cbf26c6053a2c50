using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// The variables of a loss expression bound to one batch, each [B, K]: for classification (int64 class indices) p is
/// softmax(z) and y the one-hot label (K classes); for regression (floating targets) p and z are the prediction and y
/// the target (K = 1). Owns the tensors it creates.
/// </summary>
internal sealed class ExpressionInputs : IDisposable
{
    private readonly Tensor _p, _z, _y;

    private ExpressionInputs(Tensor p, Tensor z, Tensor y) => (_p, _z, _y) = (p, z, y);

    /// <summary>Binds outputs [B, K] and labels [B].</summary>
    /// <exception cref="ArgumentException">The shapes or types do not match one of the two cases.</exception>
    public static ExpressionInputs Bind(Tensor outputs, Tensor labels)
    {
        if (outputs.dim() != 2 || labels.dim() != 1 || labels.shape[0] != outputs.shape[0])
            throw new ArgumentException($"A loss expression needs outputs [B, K] and labels [B]; they are [{string.Join(", ", outputs.shape)}] and [{string.Join(", ", labels.shape)}].");
        if (labels.dtype == ScalarType.Int64)
            return new ExpressionInputs(nn.functional.softmax(outputs, 1), outputs.alias(), nn.functional.one_hot(labels, outputs.shape[1]).to_type(outputs.dtype));
        if (labels.dtype != outputs.dtype || outputs.shape[1] != 1)
            throw new ArgumentException($"A loss expression over regression targets needs one {outputs.dtype} output per row; outputs are [{string.Join(", ", outputs.shape)}], targets {labels.dtype}.");
        return new ExpressionInputs(outputs.alias(), outputs.alias(), labels.unsqueeze(1));
    }

    /// <summary>The tensor bound to <paramref name="variable"/>.</summary>
    public Tensor Of(ExpressionVariable variable) => variable.Name switch
    {
        "p" => _p,
        "z" => _z,
        _ => _y,
    };

    public void Dispose()
    {
        _p.Dispose();
        _z.Dispose();
        _y.Dispose();
    }
}
