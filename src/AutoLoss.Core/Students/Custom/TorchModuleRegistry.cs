using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>Builds a fresh, initialised network mapping <paramref name="inputSize"/> features to
/// <paramref name="outputSize"/> outputs (logits, or the regression output).</summary>
public delegate nn.Module<Tensor, Tensor> TorchModuleFactory(int inputSize, int outputSize);

/// <summary>
/// Your own TorchSharp modules as students: register a factory under a name, then train with
/// <c>Student = new TorchModuleSpec("name")</c>. A saved model records the name, not the code, so the factory must be
/// registered (with the same name) in every process that loads the model, before it loads it.
/// </summary>
public static class TorchModuleRegistry
{
    private static readonly Dictionary<string, TorchModuleFactory> Factories = new(StringComparer.Ordinal);

    /// <summary>Registers <paramref name="factory"/> under <paramref name="name"/>. Registering the same factory again
    /// is harmless; another factory for a taken name is refused (call <see cref="Unregister"/> first to replace it).</summary>
    /// <exception cref="ArgumentException">The name is empty or taken by another factory.</exception>
    public static void Register(string name, TorchModuleFactory factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        lock (Factories)
        {
            if (Factories.TryGetValue(name, out var existing) && existing != factory)
                throw new ArgumentException($"A student module factory named '{name}' is already registered; unregister it first or pick another name.", nameof(name));
            Factories[name] = factory;
        }
    }

    /// <summary>Removes the factory registered under <paramref name="name"/>; true when there was one.</summary>
    public static bool Unregister(string name)
    {
        lock (Factories) return Factories.Remove(name);
    }

    /// <summary>True when a factory is registered under <paramref name="name"/>.</summary>
    public static bool IsRegistered(string name)
    {
        lock (Factories) return Factories.ContainsKey(name);
    }

    /// <summary>The factory registered under <paramref name="name"/>, or null.</summary>
    internal static TorchModuleFactory? Find(string name)
    {
        lock (Factories) return Factories.GetValueOrDefault(name);
    }
}
