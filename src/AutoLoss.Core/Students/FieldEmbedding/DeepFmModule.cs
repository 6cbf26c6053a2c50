using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.Core.Students.FieldEmbedding;

/// <summary>
/// The network a <see cref="DeepFmSpec"/> builds. All fields share one embedding table (field f's categories occupy
/// rows offset_f .. offset_f + cardinality_f, row offset_f being its "unknown" category), so a batch needs one lookup.
/// </summary>
internal sealed class DeepFmModule : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Embedding _embeddings;
    private readonly TorchSharp.Modules.Embedding _firstOrder;
    private readonly TorchSharp.Modules.Linear _interactions;
    private readonly nn.Module<Tensor, Tensor> _deep;

    public DeepFmModule(DeepFmSpec spec, int outputSize) : base("DeepFM")
    {
        OneDnnIsaCap.Apply();
        var cards = spec.FieldCardinalities;
        var offsets = new long[cards.Length];
        long total = 0;
        for (int f = 0; f < cards.Length; f++)
        {
            offsets[f] = total;
            total += cards[f] + 1;
        }
        int k = spec.EmbeddingSize;
        _embeddings = nn.Embedding(total, k);
        _firstOrder = nn.Embedding(total, outputSize);
        using (no_grad())
        {
            // Small embeddings keep the interaction term near 0 at the start (the usual FM initialisation).
            nn.init.normal_(_embeddings.weight!, 0, 0.01);
            _firstOrder.weight!.zero_();
        }
        _interactions = nn.Linear(k, outputSize);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        long width = (long)cards.Length * k;
        for (int i = 0; i < spec.DeepHiddenSizes.Length; i++)
        {
            layers.Add(($"linear{i}", nn.Linear(width, spec.DeepHiddenSizes[i])));
            layers.Add(($"act{i}", spec.Activation.CreateModule()));
            if (spec.Dropout > 0) layers.Add(($"dropout{i}", nn.Dropout(spec.Dropout)));
            width = spec.DeepHiddenSizes[i];
        }
        layers.Add(("output", nn.Linear(width, outputSize)));
        _deep = nn.Sequential(layers);
        RegisterComponents();
        // Read back by name in forward: moving the module to another device replaces the registered tensors.
        register_buffer("offsets", tensor(offsets));
        register_buffer("cardinalities", tensor(cards.Select(c => (float)c).ToArray()));
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var offsets = get_buffer("offsets")!;
        var cardinalities = get_buffer("cardinalities")!.to_type(input.dtype);
        // Category indices: NaN, fractional, negative and too large values all become 0, the field's unknown category,
        // so no index can fall outside the table (libtorch would abort the process).
        var x = input.nan_to_num(0, 0, 0);
        var valid = x.ge(1).logical_and(x.le(cardinalities)).logical_and(x.eq(x.floor()));
        var ids = where(valid, x, zeros_like(x)).to_type(ScalarType.Int64).add(offsets);
        var e = _embeddings.call(ids);                                   // [B, F, k]
        var first = _firstOrder.call(ids).sum(1);                        // [B, out]
        var sum = e.sum(1);
        var interactions = sum.square().sub(e.square().sum(1)).mul(0.5); // [B, k]
        var logits = first.add(_interactions.call(interactions)).add(_deep.call(e.flatten(1)));
        return logits.MoveToOuterDisposeScope();
    }
}
