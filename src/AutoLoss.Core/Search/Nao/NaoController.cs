using AutoLoss.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss.Core.Search.Nao;

/// <summary>
/// NAO's controller (Luo et al., NeurIPS 2018): an encoder E maps an architecture's token sequence to a continuous
/// embedding e_x, a performance predictor f maps e_x to a performance in (0, 1), and a decoder D maps e_x back to the
/// sequence. Trained jointly on L = lambda * MSE(f(E(x)), y) + (1 - lambda) * CE(D(E(x)), x) (lambda, the trade-off,
/// 0.8 in the paper). Sequences here have a fixed length, so E and D are multilayer perceptrons over the tokens'
/// one-hot codes with one softmax head per position, where the paper's variable-length sequences need LSTMs.
/// </summary>
public sealed class NaoController : nn.Module
{
    private readonly int[] _sizes;
    private readonly TorchSharp.Modules.Sequential _encoder, _predictor, _decoder;

    /// <summary>A controller for sequences whose positions take <paramref name="positionSizes"/> tokens.</summary>
    public NaoController(IReadOnlyList<int> positionSizes, int embeddingSize, int hiddenSize, int seed) : base(nameof(NaoController))
    {
        _sizes = positionSizes.ToArray();
        int input = _sizes.Sum();
        (_encoder, _predictor, _decoder) = TorchSeeding.Run(seed, () => (
            nn.Sequential(nn.Linear(input, hiddenSize), nn.Tanh(), nn.Linear(hiddenSize, embeddingSize), nn.Tanh()),
            nn.Sequential(nn.Linear(embeddingSize, hiddenSize), nn.ReLU(), nn.Linear(hiddenSize, 1)),
            nn.Sequential(nn.Linear(embeddingSize, hiddenSize), nn.ReLU(), nn.Linear(hiddenSize, input))));
        register_module("encoder", _encoder);
        register_module("predictor", _predictor);
        register_module("decoder", _decoder);
    }

    /// <summary>e_x for a batch of sequences [B, L] (int64 tokens): [B, embedding].</summary>
    public Tensor Encode(Tensor tokens) => _encoder.forward(OneHot(tokens));

    /// <summary>f(e): the predicted performance in (0, 1), [B].</summary>
    public Tensor Predict(Tensor embedding) => _predictor.forward(embedding).squeeze(1).sigmoid();

    /// <summary>D(e): the logits of every position, one [B, size_i] tensor per position.</summary>
    public Tensor[] DecodeLogits(Tensor embedding)
    {
        using var all = _decoder.forward(embedding);
        return all.split(_sizes.Select(s => (long)s).ToArray(), 1);
    }

    /// <summary>The most likely sequence of every embedding: [B, L] int64.</summary>
    public Tensor Decode(Tensor embedding)
    {
        using var scope = NewDisposeScope();
        var heads = DecodeLogits(embedding);
        return stack(heads.Select(h => h.argmax(1)).ToArray(), 1).MoveToOuterDisposeScope();
    }

    /// <summary>The joint loss on sequences [B, L] with normalised performances [B].</summary>
    public Tensor Loss(Tensor tokens, Tensor performance, double tradeOff)
    {
        using var scope = NewDisposeScope();
        var embedding = Encode(tokens);
        var prediction = nn.functional.mse_loss(Predict(embedding), performance);
        var heads = DecodeLogits(embedding);
        var reconstruction = heads.Select((h, i) => nn.functional.cross_entropy(h, tokens.select(1, i))).Aggregate((a, b) => a + b) / heads.Length;
        return (prediction * tradeOff + reconstruction * (1 - tradeOff)).MoveToOuterDisposeScope();
    }

    private Tensor OneHot(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var parts = _sizes.Select((size, i) => nn.functional.one_hot(tokens.select(1, i), size)).ToArray();
        return cat(parts, 1).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
