using System.Text.RegularExpressions;

namespace AutoLoss.ML.Tests;

/// <summary>Every C# block of the README is code the build compiles: examples/ReadmeSnippets/Program.cs holds each one
/// verbatim (indentation aside), so a README example cannot drift from the API.</summary>
[TestClass]
public sealed partial class ReadmeSnippetsTests
{
    [TestMethod]
    public void EveryCSharpBlockOfTheReadmeIsCompiledByTheSnippetsProject()
    {
        string root = RepositoryRoot();
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        string[] compiled = Lines(File.ReadAllText(Path.Combine(root, "examples", "ReadmeSnippets", "Program.cs")));
        var blocks = CSharpBlock().Matches(readme).Select(m => Lines(m.Groups[1].Value)).ToList();
        Assert.IsGreaterThanOrEqualTo(5, blocks.Count, "the README shows its examples as ```csharp blocks");
        foreach (var block in blocks)
            Assert.IsTrue(ContainsRun(compiled, block), "README block not found in examples/ReadmeSnippets/Program.cs:\n" + string.Join("\n", block));
    }

    private static string[] Lines(string text) =>
        text.Replace("\r\n", "\n").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

    private static bool ContainsRun(string[] haystack, string[] needle)
    {
        for (int start = 0; start + needle.Length <= haystack.Length; start++)
            if (haystack.AsSpan(start, needle.Length).SequenceEqual(needle)) return true;
        return false;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AutoLoss.ML.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (AutoLoss.ML.sln) is not above the test's directory.");
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
