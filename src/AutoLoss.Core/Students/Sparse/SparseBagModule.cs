using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.Core.Students.Sparse;

/// <summary>
/// The network a <see cref="SparseInputSpec"/> builds: an embedding bag over the row's (slot, value) pairs, then the
/// activation and the body. Pairs with a slot outside [0, Slots), a fractional slot or a non-finite value are dropped
/// (padding has slot -1), so no index can reach libtorch out of range.
/// </summary>
internal sealed class SparseBagModule : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Embedding bag;
    private readonly TorchSharp.Modules.Parameter bias;
    private readonly nn.Module<Tensor, Tensor> activation;
    private readonly nn.Module<Tensor, Tensor> body;
    private readonly long _slots;

    public SparseBagModule(SparseInputSpec spec, nn.Module<Tensor, Tensor> body) : base("SparseInput")
    {
        OneDnnIsaCap.Apply();
        _slots = spec.Slots;
        bag = nn.Embedding(spec.Slots, spec.EmbeddingSize);
        using (no_grad()) nn.init.normal_(bag.weight!, 0, 1 / Math.Sqrt(spec.EmbeddingSize));
        bias = nn.Parameter(zeros(spec.EmbeddingSize));
        activation = spec.Activation.CreateModule();
        this.body = body;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long rows = input.shape[0], pairs = input.shape[1] / 2;
        var encoded = input.view(rows, pairs, 2);
        var slot = encoded.select(2, 0);
        var value = encoded.select(2, 1);
        var valid = slot.ge(0).logical_and(slot.lt(_slots)).logical_and(slot.eq(slot.floor())).logical_and(value.isfinite());
        var ids = where(valid, slot, zeros_like(slot)).to_type(ScalarType.Int64);
        var weights = where(valid, value, zeros_like(value));
        var h = bag.call(ids).mul(weights.unsqueeze(2)).sum(1).add(bias);
        return body.call(activation.call(h)).MoveToOuterDisposeScope();
    }
}
