using System.Numerics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace AutoLoss.Core.Students;

/// <summary>
/// A trained MLP's forward pass in managed code (SIMD dot products over the weight rows), for
/// single-row scoring: a TorchSharp call costs tens of microseconds of fixed overhead per tensor op,
/// more than the arithmetic of one row. Produces outputs (or their softmax probabilities) equal to the
/// TorchSharp forward up to float rounding. Exists only for activations with an exact managed form (not GELU).
/// </summary>
public sealed class ManagedMlp
{
    private readonly float[][] _weights;   // per layer, row-major [out, in] (nn.Linear layout)
    private readonly float[][] _biases;
    private readonly int[] _widths;        // input width, then each layer's output width
    private readonly Activation _activation;

    private ManagedMlp(float[][] weights, float[][] biases, int[] widths, Activation activation)
    {
        _weights = weights;
        _biases = biases;
        _widths = widths;
        _activation = activation;
    }

    /// <summary>Number of inputs.</summary>
    public int InputSize => _widths[0];

    /// <summary>Number of outputs (classes, or 1 for regression).</summary>
    public int OutputSize => _widths[^1];

    /// <summary>Copies the weights of a network built by <paramref name="spec"/>, or returns null
    /// when the spec is not an MLP or its activation has no exact managed form.</summary>
    public static ManagedMlp? TryCreate(StudentSpec spec, nn.Module<Tensor, Tensor> network)
    {
        if (spec is not MlpSpec mlp || mlp.Activation == Activation.Gelu) return null;
        var state = network.state_dict();
        var names = Enumerable.Range(0, mlp.HiddenSizes.Length).Select(i => $"linear{i}").Append("output").ToArray();
        var weights = new float[names.Length][];
        var biases = new float[names.Length][];
        var widths = new int[names.Length + 1];
        for (int layer = 0; layer < names.Length; layer++)
        {
            if (!state.TryGetValue(names[layer] + ".weight", out var w) || !state.TryGetValue(names[layer] + ".bias", out var b))
                return null;
            using var wCpu = w.detach().cpu().to_type(ScalarType.Float32).contiguous();
            using var bCpu = b.detach().cpu().to_type(ScalarType.Float32).contiguous();
            weights[layer] = wCpu.data<float>().ToArray();
            biases[layer] = bCpu.data<float>().ToArray();
            widths[layer] = (int)w.shape[1];
            widths[layer + 1] = (int)w.shape[0];
        }
        return new ManagedMlp(weights, biases, widths, mlp.Activation);
    }

    /// <summary>Writes softmax(f_w(x)) for one row <paramref name="features"/> into <paramref name="probabilities"/>.</summary>
    public void PredictProbabilities(ReadOnlySpan<float> features, Span<float> probabilities)
    {
        Predict(features, probabilities);
        Softmax(probabilities);
    }

    /// <summary>Writes the raw outputs f_w(x) (logits, or a regression prediction) for one row
    /// <paramref name="features"/> into <paramref name="outputs"/>.</summary>
    public void Predict(ReadOnlySpan<float> features, Span<float> outputs)
    {
        if (features.Length != InputSize || outputs.Length != OutputSize)
            throw new ArgumentException($"Expected {InputSize} features and {OutputSize} outputs.");
        int widest = _widths.Max();
        Span<float> a = widest <= 4096 ? stackalloc float[widest] : new float[widest];
        Span<float> b = widest <= 4096 ? stackalloc float[widest] : new float[widest];
        features.CopyTo(a);
        for (int layer = 0; layer < _weights.Length; layer++)
        {
            int inputs = _widths[layer], width = _widths[layer + 1];
            var w = _weights[layer];
            var bias = _biases[layer];
            var x = a[..inputs];
            for (int j = 0; j < width; j++)
                b[j] = Dot(w.AsSpan(j * inputs, inputs), x) + bias[j];
            if (layer < _weights.Length - 1)
                Activate(b[..width]);
            var t = a; a = b; b = t;
        }
        a[..OutputSize].CopyTo(outputs);
    }

    private static float Dot(ReadOnlySpan<float> u, ReadOnlySpan<float> v)
    {
        var sum = Vector<float>.Zero;
        int i = 0, width = Vector<float>.Count;
        var uv = MemoryMarshal.Cast<float, Vector<float>>(u);
        var vv = MemoryMarshal.Cast<float, Vector<float>>(v);
        for (int k = 0; k < uv.Length; k++) sum += uv[k] * vv[k];
        i = uv.Length * width;
        float total = Vector.Sum(sum);
        for (; i < u.Length; i++) total += u[i] * v[i];
        return total;
    }

    private void Activate(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            values[i] = _activation switch
            {
                Activation.Relu => v > 0 ? v : 0,
                Activation.LeakyRelu => v > 0 ? v : 0.01f * v,
                Activation.Tanh => MathF.Tanh(v),
                Activation.Sigmoid => 1f / (1f + MathF.Exp(-v)),
                _ => throw new InvalidOperationException($"No managed form for {_activation}."),
            };
        }
    }

    // In place: logits in, probabilities out.
    private static void Softmax(Span<float> values)
    {
        float max = float.NegativeInfinity;
        foreach (float v in values) max = MathF.Max(max, v);
        float sum = 0;
        for (int i = 0; i < values.Length; i++) sum += values[i] = MathF.Exp(values[i] - max);
        for (int i = 0; i < values.Length; i++) values[i] /= sum;
    }
}
