using System.IO.Compression;
using AutoLoss.ML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Persistence;

/// <summary>
/// One-file persistence of a fitted pipeline that mixes ML.NET transformers with AutoLoss.ML ones.
/// ML.NET's Model.Save cannot store third-party transformers, so the chain is cut into segments:
/// runs of ML.NET transformers are stored with ML.NET's own format, AutoLoss.ML transformers with
/// theirs, all inside one zip archive with a manifest giving their order.
/// </summary>
internal static class PipelineArchive
{
    private const string ManifestEntry = "autoloss-pipeline.txt";
    private const string ManifestHeader = "AutoLoss.ML pipeline 1";
    private const string InputSchemaEntry = "input-schema.zip";
    private const string MlNetKind = "mlnet";

    public static void Save(ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, Stream stream)
    {
        var parts = Flatten(model).ToList();
        // Fail before writing anything if a transformer cannot be stored.
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var manifest = new List<string> { ManifestHeader };
            WriteEntry(zip, InputSchemaEntry, s => catalog.Save(new TransformerChain<ITransformer>(), inputSchema, s));
            var schema = inputSchema;
            var run = new List<ITransformer>();
            void FlushRun()
            {
                if (run.Count == 0) return;
                string name = $"segment-{manifest.Count - 1}.zip";
                var chain = new TransformerChain<ITransformer>(run.ToArray());
                var runSchema = schema;
                WriteEntry(zip, name, s => catalog.Save(chain, runSchema, s));
                manifest.Add($"{MlNetKind} {name}");
                schema = chain.GetOutputSchema(schema);
                run.Clear();
            }
            foreach (var part in parts)
            {
                if (part is AdaptiveLossTransformerBase autoLoss)
                {
                    FlushRun();
                    string name = $"segment-{manifest.Count - 1}.bin";
                    switch (autoLoss)
                    {
                        case AdaptiveLossMulticlassTransformer multiclass:
                            WriteEntry(zip, name, s => MulticlassModelSerializer.Write(multiclass, s));
                            manifest.Add($"{MulticlassModelSerializer.Tag} {name}");
                            break;
                        case AdaptiveLossBinaryTransformer binary:
                            WriteEntry(zip, name, s => BinaryModelSerializer.Write(binary, s));
                            manifest.Add($"{BinaryModelSerializer.Tag} {name}");
                            break;
                        case AdaptiveLossRegressionTransformer regression:
                            WriteEntry(zip, name, s => RegressionModelSerializer.Write(regression, s));
                            manifest.Add($"{RegressionModelSerializer.Tag} {name}");
                            break;
                        default:
                            throw new NotSupportedException($"{autoLoss.GetType().Name} has no model serializer.");
                    }
                    schema = autoLoss.GetOutputSchema(schema);
                }
                else
                {
                    run.Add(part);
                }
            }
            FlushRun();
            WriteEntry(zip, ManifestEntry, s =>
            {
                using var w = new StreamWriter(s);
                foreach (var line in manifest) w.WriteLine(line);
            });
        }
        buffer.Position = 0;
        buffer.CopyTo(stream);
    }

    public static ITransformer Load(ModelOperationsCatalog catalog, Stream stream, out DataViewSchema inputSchema)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException("Not an AutoLoss.ML model file: it is not a zip archive written by mlContext.Model.SaveWithAutoLoss.", e);
        }
        using (zip)
        {
            var manifestEntry = zip.GetEntry(ManifestEntry)
                ?? throw new InvalidDataException("Not an AutoLoss.ML model file: the archive has no AutoLoss.ML manifest (an ML.NET-only model loads with mlContext.Model.Load).");
            string[] lines;
            using (var reader = new StreamReader(manifestEntry.Open())) lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (lines.Length == 0 || lines[0] != ManifestHeader)
                throw new InvalidDataException($"Unsupported AutoLoss.ML model file version: '{(lines.Length > 0 ? lines[0] : "")}'.");

            using (var schemaStream = ReadEntry(zip, InputSchemaEntry))
                catalog.Load(schemaStream, out inputSchema);
            var loaded = new List<ITransformer>();
            try
            {
                foreach (var line in lines.Skip(1))
                {
                    var fields = line.Split(' ', 2);
                    if (fields.Length != 2) throw new InvalidDataException($"Corrupt manifest line '{line}'.");
                    using var entry = ReadEntry(zip, fields[1]);
                    switch (fields[0])
                    {
                        case MlNetKind:
                            loaded.AddRange(Flatten(catalog.Load(entry, out _)));
                            break;
                        case MulticlassModelSerializer.Tag:
                            loaded.Add(MulticlassModelSerializer.Read(entry));
                            break;
                        case BinaryModelSerializer.Tag:
                            loaded.Add(BinaryModelSerializer.Read(entry));
                            break;
                        case RegressionModelSerializer.Tag:
                            loaded.Add(RegressionModelSerializer.Read(entry));
                            break;
                        default:
                            throw new InvalidDataException($"Unknown transformer kind '{fields[0]}' in model file; it was written by a newer AutoLoss.ML.");
                    }
                }
            }
            catch
            {
                foreach (var t in loaded) (t as IDisposable)?.Dispose();
                throw;
            }
            return new TransformerChain<ITransformer>(loaded.ToArray());
        }
    }

    /// <summary>The transformers of a (possibly nested) chain, in order.</summary>
    private static IEnumerable<ITransformer> Flatten(ITransformer model)
    {
        if (model is IEnumerable<ITransformer> chain)
        {
            foreach (var inner in chain)
                foreach (var t in Flatten(inner))
                    yield return t;
        }
        else
        {
            yield return model;
        }
    }

    private static void WriteEntry(ZipArchive zip, string name, Action<Stream> write)
    {
        using var s = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        write(s);
    }

    private static MemoryStream ReadEntry(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"Corrupt AutoLoss.ML model file: entry '{name}' is missing.");
        var copy = new MemoryStream();
        using (var s = entry.Open()) s.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }
}
