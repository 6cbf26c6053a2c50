using static TorchSharp.torch;

namespace AutoLoss.Core.Students.Convolutional;

/// <summary>
/// The forward pass f(x; w) of a <see cref="ConvNetLayout"/> with the weights passed in: the one implementation both the
/// built module (its own parameters and batch-norm statistics) and the functional form (unrolled weights w_t) run.
/// Every shape is checked before anything reaches libtorch.
/// </summary>
internal static class ConvNetForward
{
    private const double NormMomentum = 0.1, NormEpsilon = 1e-5;

    /// <summary>Logits [B, outputs] for flat features [B, C*H*W].</summary>
    /// <param name="layout">The network.</param>
    /// <param name="input">Features [B, C*H*W] in CHW order.</param>
    /// <param name="parameters">Weights in <see cref="ConvNetLayout.Parameters"/> order.</param>
    /// <param name="statistics">Running mean and variance of every batch norm (mean_0, var_0, mean_1, ...), or null to
    /// normalise with each batch's own statistics (the functional form, which keeps no state).</param>
    /// <param name="training">Training mode: dropout, and batch statistics (updating the running ones) in batch norm.</param>
    public static Tensor Run(ConvNetLayout layout, Tensor input, IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor>? statistics, bool training)
    {
        Check(layout, input, parameters, statistics);
        var spec = layout.Spec;
        using var scope = NewDisposeScope();
        var x = input.view(input.shape[0], spec.Channels, spec.Height, spec.Width);
        foreach (var units in layout.Blocks)
        {
            var block = units.Block;
            var h = spec.Activation.Apply(Unit(x, units.First, parameters, statistics, training));
            if (units.Second is { } second)
            {
                var shortcut = units.Shortcut is { } projection ? Unit(x, projection, parameters, statistics, training) : x;
                h = spec.Activation.Apply(Unit(h, second, parameters, statistics, training).add(shortcut));
            }
            h = block.Pooling switch
            {
                Pooling.Max => nn.functional.max_pool2d(h, block.PoolSize, block.PoolSize),
                Pooling.Average => nn.functional.avg_pool2d(h, block.PoolSize, block.PoolSize),
                _ => h,
            };
            if (training && block.Dropout > 0) h = nn.functional.dropout(h, block.Dropout, training: true);
            x = h;
        }
        x = spec.GlobalAveragePooling ? x.mean([2L, 3L]) : x.flatten(1);
        for (int i = 0; i < layout.Dense.Count; i++)
        {
            var (weight, bias) = layout.Dense[i];
            x = nn.functional.linear(x, parameters[weight], parameters[bias]);
            if (i == layout.Dense.Count - 1) break;
            x = spec.Activation.Apply(x);
            if (training && spec.HeadDropout > 0) x = nn.functional.dropout(x, spec.HeadDropout, training: true);
        }
        return x.MoveToOuterDisposeScope();
    }

    private static Tensor Unit(Tensor x, ConvUnit unit, IReadOnlyList<Tensor> p, IReadOnlyList<Tensor>? statistics, bool training)
    {
        var y = nn.functional.conv2d(x, p[unit.Weight], unit.Bias is { } b ? p[b] : null,
            strides: [unit.Stride, unit.Stride], padding: [unit.Padding, unit.Padding]);
        if (unit.NormScale is not { } scale) return y;
        if (statistics is null)
        {
            // The functional form keeps no state: normalise with the batch's own statistics (training mode), updating
            // throwaway running ones.
            long channels = y.shape[1];
            return nn.functional.batch_norm(y, zeros(channels, y.dtype, y.device), ones(channels, y.dtype, y.device),
                p[scale], p[scale + 1], training: true, NormMomentum, NormEpsilon);
        }
        int k = unit.NormStatistics!.Value;
        return nn.functional.batch_norm(y, statistics[2 * k], statistics[2 * k + 1], p[scale], p[scale + 1], training, NormMomentum, NormEpsilon);
    }

    private static void Check(ConvNetLayout layout, Tensor input, IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor>? statistics)
    {
        var spec = layout.Spec;
        long features = (long)spec.Channels * spec.Height * spec.Width;
        if (input.dim() != 2 || input.shape[1] != features)
            throw new ArgumentException(
                $"{spec} takes features [B, {features}] ({spec.Channels}x{spec.Height}x{spec.Width}); the input is [{string.Join(", ", input.shape)}].", nameof(input));
        if (input.shape[0] == 0)
            throw new ArgumentException("The input batch has no rows.", nameof(input));
        if (parameters.Count != layout.Parameters.Count)
            throw new ArgumentException($"{spec} has {layout.Parameters.Count} parameter tensors; {parameters.Count} were given.", nameof(parameters));
        for (int i = 0; i < parameters.Count; i++)
        {
            var slot = layout.Parameters[i];
            if (!parameters[i].shape.SequenceEqual(slot.Shape))
                throw new ArgumentException(
                    $"Parameter {i} ({slot.Name}) of {spec} has shape [{string.Join(",", parameters[i].shape)}]; expected [{string.Join(",", slot.Shape)}].", nameof(parameters));
            if (parameters[i].dtype != input.dtype)
                throw new ArgumentException($"Parameter {i} ({slot.Name}) has dtype {parameters[i].dtype} but the input is {input.dtype}.", nameof(parameters));
        }
        if (statistics is not null && statistics.Count != 2 * layout.NormStatistics.Count)
            throw new ArgumentException($"{spec} keeps {2 * layout.NormStatistics.Count} batch-norm statistics; {statistics.Count} were given.", nameof(statistics));
    }
}
