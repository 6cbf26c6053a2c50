using AutoLoss.Core.Teaching;

namespace AutoLoss;

/// <summary>A fixed per-example loss (<see cref="IPerExampleLoss"/>): the same loss at every step, reduced by the
/// (weighted) mean. Create it with <see cref="LossOptions.CrossEntropy"/>, <see cref="LossOptions.SquaredError"/> or
/// <see cref="LossOptions.PerExample"/>.</summary>
public sealed class FixedLossOptions : LossOptions
{
    private readonly Func<IPerExampleLoss> _createLoss;
    private readonly string? _code;
    private readonly Lazy<string> _name;

    /// <summary>Options for the losses <paramref name="createLoss"/> makes, one per training run.</summary>
    /// <param name="createLoss">Creates the loss for one run.</param>
    /// <param name="code">How a user writes these options, for messages (e.g. "LossOptions.CrossEntropy()").</param>
    public FixedLossOptions(Func<IPerExampleLoss> createLoss, string? code = null)
    {
        _createLoss = createLoss ?? throw new ArgumentNullException(nameof(createLoss));
        _code = code;
        _name = new Lazy<string>(() => WithLoss(loss => loss.Name));
    }

    /// <inheritdoc />
    public override void Validate(TrainingTask task, string optionName) => WithLoss(loss =>
    {
        loss.Validate(task, optionName);
        return 0;
    });

    /// <inheritdoc />
    public override ILossTeacher CreateTeacher(TrainingTask task)
    {
        var loss = _createLoss() ?? throw new InvalidOperationException("The loss factory of LossOptions.PerExample returned null.");
        try
        {
            loss.Validate(task, "Loss");
            return new FixedLossTeacher(loss);
        }
        catch
        {
            (loss as IDisposable)?.Dispose();
            throw;
        }
    }

    /// <summary>How a user writes these options (e.g. "LossOptions.CrossEntropy()"), else the loss's name.</summary>
    public override string ToString() => _code ?? _name.Value;

    private T WithLoss<T>(Func<IPerExampleLoss, T> use)
    {
        var loss = _createLoss() ?? throw new InvalidOperationException("The loss factory of LossOptions.PerExample returned null.");
        try { return use(loss); }
        finally { (loss as IDisposable)?.Dispose(); }
    }
}
