namespace AutoLoss.Core.Search;

/// <summary>An <see cref="IProgress{T}"/> that calls its handler at once, on the reporting thread. The runner reports a
/// trial from the thread that ran it; <see cref="Progress{T}"/> would post the call to a synchronisation context or the
/// thread pool instead, so reports could arrive late or out of order.</summary>
/// <typeparam name="T">What is reported.</typeparam>
public sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    private readonly Action<T> _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    /// <inheritdoc />
    public void Report(T value) => _handler(value);
}
