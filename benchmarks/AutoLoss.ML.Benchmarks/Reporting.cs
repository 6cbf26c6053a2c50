using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoLoss.ML.Benchmarks;

/// <summary>Summary statistics used by every benchmark.</summary>
internal static class Stats
{
    public static double Mean(IReadOnlyList<double> values) => values.Count == 0 ? double.NaN : values.Average();

    /// <summary>Sample standard deviation (n - 1 in the denominator); 0 for a single value.</summary>
    public static double SampleStd(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        double mean = Mean(values);
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    public static double Median(IReadOnlyList<double> values) => Percentile(values, 50);

    /// <summary>Percentile by linear interpolation between closest ranks.</summary>
    public static double Percentile(IReadOnlyList<double> values, double percent)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToArray();
        double rank = percent / 100.0 * (sorted.Length - 1);
        int low = (int)Math.Floor(rank), high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}

/// <summary>JSON and Markdown output.</summary>
internal static class Report
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void WriteJson<T>(string path, T value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(value, Json) + "\n");
    }

    public static string F(double value, int decimals) =>
        double.IsFinite(value) ? value.ToString("N" + decimals, CultureInfo.InvariantCulture) : "n/a";

    /// <summary>A Markdown table (also readable on the console).</summary>
    public static string Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, string? rightAligned = null)
    {
        var all = new List<IReadOnlyList<string>> { header };
        all.AddRange(rows);
        var widths = Enumerable.Range(0, header.Count).Select(c => all.Max(r => r[c].Length)).ToArray();
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> r, bool isHeader)
        {
            sb.Append('|');
            for (int c = 0; c < r.Count; c++)
            {
                bool right = !isHeader && c > 0 && (rightAligned is null || rightAligned[c] == 'r');
                sb.Append(' ').Append(right ? r[c].PadLeft(widths[c]) : r[c].PadRight(widths[c])).Append(" |");
            }
            sb.AppendLine();
        }
        Line(header, true);
        sb.Append('|');
        for (int c = 0; c < header.Count; c++)
        {
            bool right = c > 0 && (rightAligned is null || rightAligned[c] == 'r');
            sb.Append(' ').Append(new string('-', Math.Max(3, widths[c]) - (right ? 1 : 0))).Append(right ? ":" : "").Append(" |");
        }
        sb.AppendLine();
        foreach (var r in rows) Line(r, false);
        return sb.ToString();
    }

    /// <summary>Where and with what the numbers were measured.</summary>
    public static EnvironmentInfo Environment() => new(
        DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        RuntimeInformation.OSDescription,
        RuntimeInformation.ProcessArchitecture.ToString(),
        System.Environment.ProcessorCount,
        RuntimeInformation.FrameworkDescription,
        PackageVersion(typeof(TorchSharp.torch).Assembly),
        TorchSharp.torch.get_num_threads(),
        PackageVersion(typeof(Microsoft.ML.MLContext).Assembly),
        CpuModel(),
        SourceCommit());

    /// <summary>The commit the numbers were measured on (short hash, "+local changes" when the work tree outside the results folder differs from
    /// it), so a result file says which code produced it; "unknown" outside a git checkout.</summary>
    private static string SourceCommit()
    {
        string? Git(string arguments)
        {
            try
            {
                using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", arguments)
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                });
                if (git is null) return null;
                string output = git.StandardOutput.ReadToEnd().Trim();
                git.WaitForExit();
                return git.ExitCode == 0 ? output : null;
            }
            catch (System.ComponentModel.Win32Exception) { return null; }
        }
        string? head = Git("rev-parse --short HEAD");
        if (head is null) return "unknown";
        string? changes = Git("status --porcelain --untracked-files=no -- . :!benchmarks/results");
        return string.IsNullOrEmpty(changes) ? head : head + "+local changes";
    }

    /// <summary>The informational (package) version without the source-revision suffix; ML.NET's assembly version is always 1.0.0.0.</summary>
    private static string PackageVersion(System.Reflection.Assembly assembly)
    {
        string? v = System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(assembly)?.InformationalVersion;
        return v is null ? assembly.GetName().Version?.ToString() ?? "?" : v.Split('+')[0];
    }

    private static string CpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                    if (line.StartsWith("model name", StringComparison.Ordinal))
                        return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        return "unknown";
    }
}

internal sealed record EnvironmentInfo(
    string Date, string Os, string Architecture, int ProcessorCount, string Runtime,
    string TorchSharpVersion, int TorchThreads, string MlNetVersion, string Cpu, string Commit)
{
    public string Markdown() =>
        $"Measured {Date} at commit {Commit} on {Cpu} ({ProcessorCount} logical cores, {Architecture}), {Os}, {Runtime}; " +
        $"TorchSharp {TorchSharpVersion} (CPU, {TorchThreads} intra-op threads), ML.NET {MlNetVersion}.";
}
