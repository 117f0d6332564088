using System.Text.RegularExpressions;
using Xunit;

namespace HyperLaws.Tests.Architecture;

/// <summary>
/// One top-level type per source file under src/ (nested types do not count), the file named after it.
/// </summary>
public sealed partial class OneTypePerFileTests
{
    // A type declared at column 0 (file-scoped namespaces): modifiers, then the kind and the name.
    [GeneratedRegex(@"^(?:(?:public|internal|file|sealed|static|abstract|readonly|partial|ref|unsafe)\s+)*(?:class|record\s+struct|record\s+class|record|struct|interface|enum)\s+(?<name>[A-Za-z_]\w*)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();

    [Fact]
    public void EverySourceFile_DeclaresOneTopLevelType_NamedLikeTheFile()
    {
        string src = Path.Combine(DataFolders.Repo, "..", "src"); // DataFolders.Repo is the repository's data/ folder
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 100, $"only {files.Count} source files found under {src}");
        var problems = new List<string>();
        foreach (string file in files)
        {
            string relative = Path.GetRelativePath(src, file).Replace(Path.DirectorySeparatorChar, '/');
            var names = TopLevelType().Matches(File.ReadAllText(file)).Select(m => m.Groups["name"].Value).ToList();
            if (names.Count > 1)
                problems.Add($"{relative}: {names.Count} types ({string.Join(", ", names)})");
            if (names.Count == 1 && names[0] != Path.GetFileNameWithoutExtension(file))
                problems.Add($"{relative}: declares {names[0]}");
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
