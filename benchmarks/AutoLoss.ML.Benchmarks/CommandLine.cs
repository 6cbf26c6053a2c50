using System.Globalization;

namespace AutoLoss.ML.Benchmarks;

/// <summary>
/// A small command-line parser: <c>verb --name value --flag ...</c>. Options are looked up by name
/// with a default; anything given but never read is reported as unknown, so typos fail loudly.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private CommandLine(string verb) => Verb = verb;

    public string Verb { get; }

    public static CommandLine Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
            return new CommandLine(args.Length == 0 || args[0] is "-h" or "--help" ? "help" : "");
        var result = new CommandLine(args[0]);
        for (int i = 1; i < args.Length; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                throw new UsageException($"Unexpected argument '{arg}'; options look like --name value.");
            string name = arg[2..];
            string? value = null;
            int eq = name.IndexOf('=');
            if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
            else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) value = args[++i];
            if (!result._options.TryAdd(name, value))
                throw new UsageException($"Option --{name} is given twice.");
        }
        return result;
    }

    public bool Has(string name)
    {
        _read.Add(name);
        return _options.ContainsKey(name);
    }

    public string String(string name, string defaultValue)
    {
        _read.Add(name);
        if (!_options.TryGetValue(name, out var value)) return defaultValue;
        return value ?? throw new UsageException($"Option --{name} needs a value.");
    }

    public int Int(string name, int defaultValue, int min = int.MinValue)
    {
        string text = String(name, defaultValue.ToString(CultureInfo.InvariantCulture));
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min)
            throw new UsageException($"Option --{name} must be an integer >= {min}; got '{text}'.");
        return value;
    }

    public long Long(string name, long defaultValue, long min = long.MinValue)
    {
        string text = String(name, defaultValue.ToString(CultureInfo.InvariantCulture));
        if (!long.TryParse(text.Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) || value < min)
            throw new UsageException($"Option --{name} must be an integer >= {min}; got '{text}'.");
        return value;
    }

    public double Double(string name, double defaultValue)
    {
        string text = String(name, defaultValue.ToString("R", CultureInfo.InvariantCulture));
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            throw new UsageException($"Option --{name} must be a finite number; got '{text}'.");
        return value;
    }

    public string[] List(string name, string defaultValue) =>
        String(name, defaultValue).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public int[] IntList(string name, string defaultValue) =>
        List(name, defaultValue).Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 0
            ? v : throw new UsageException($"Option --{name} must be a comma-separated list of non-negative integers; got '{s}'.")).ToArray();

    /// <summary>Throws when an option was given that the verb never asked for.</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new UsageException($"Unknown option(s) for '{Verb}': {string.Join(", ", unknown.Select(k => "--" + k))}.");
    }
}

/// <summary>A mistake in the command line; printed with the usage text.</summary>
internal sealed class UsageException(string message) : Exception(message);
