using System.Diagnostics;
using Microsoft.ML;

namespace AutoLoss.ML.Tests;

/// <summary>Saves a pipeline with SaveWithAutoLoss, scores the same rows in a new process (the ScoringHost), and
/// returns that process's Score values as raw float bits, one array per row.</summary>
internal static class FreshProcessScoring
{
    public static List<int[]> ScoreBits(MLContext ml, ITransformer model, IDataView raw, Func<string, string> tempFile)
    {
        string modelPath = tempFile("model.zip"), dataPath = tempFile("data.tsv"), outPath = tempFile("scores.txt");
        ml.Model.SaveWithAutoLoss(model, raw.Schema, modelPath);
        using (var stream = File.Create(dataPath))
            ml.Data.SaveAsText(raw, stream, separatorChar: '\t', headerRow: false, schema: false);

        RunHost(modelPath, dataPath, TestData.Features.ToString(), outPath);
        return File.ReadAllLines(outPath).Select(line => line.Split(' ').Select(int.Parse).ToArray()).ToList();
    }

    /// <summary>Runs the ScoringHost with <paramref name="arguments"/> in a new process (the test's own runtime and
    /// dependencies) and asserts that it succeeds.</summary>
    public static void RunHost(params string[] arguments)
    {
        string dir = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                "exec", "--runtimeconfig", Path.Combine(dir, "AutoLoss.ML.Tests.runtimeconfig.json"),
                "--depsfile", Path.Combine(dir, "AutoLoss.ML.Tests.deps.json"),
                Path.Combine(dir, "AutoLoss.ML.ScoringHost.dll"),
            },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, stderr);
    }
}
