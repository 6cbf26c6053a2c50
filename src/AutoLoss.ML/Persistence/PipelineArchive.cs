using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Persistence;

/// <summary>
/// One-file persistence of a fitted pipeline that mixes ML.NET transformers with AutoLoss.ML ones.
/// ML.NET's Model.Save cannot store third-party transformers, so the chain is cut into segments:
/// runs of ML.NET transformers are stored with ML.NET's own format, AutoLoss.ML transformers with
/// theirs, all inside one zip archive with a manifest giving their order, sealed with the SHA-256
/// of the whole file (<see cref="ArchiveChecksum"/>), which loading verifies first.
/// </summary>
internal static class PipelineArchive
{
    private const string ManifestEntry = "autoloss-pipeline.txt";
    private const string ManifestHeader = "AutoLoss.ML pipeline 2";
    // Version 1 files have the same layout without the whole-file checksum: only their entries' CRC-32 is checked.
    private const string UncheckedManifestHeader = "AutoLoss.ML pipeline 1";
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
                if (ModelSerializers.For(part) is { } serializer)
                {
                    FlushRun();
                    string name = $"segment-{manifest.Count - 1}.bin";
                    WriteEntry(zip, name, s => serializer.Write(part, s));
                    manifest.Add($"{serializer.Tag} {name}");
                    schema = part.GetOutputSchema(schema);
                }
                else if (part is AdaptiveLossTransformerBase)
                {
                    throw new NotSupportedException($"{part.GetType().Name} has no model serializer.");
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
        // The checksum covers every byte, so a damaged file is refused before anything parses it.
        stream.Write(ArchiveChecksum.Seal(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    /// <summary>Loads a pipeline after verifying every byte of it (<see cref="VerifiedArchive"/>).</summary>
    /// <param name="catalog">The MLContext's model catalog (loads ML.NET's own transformers).</param>
    /// <param name="stream">The saved pipeline, read from its position to its end.</param>
    /// <param name="source">The file or stream, for messages (e.g. <c>model file '/path/model.zip'</c>).</param>
    /// <param name="inputSchema">The schema the pipeline was saved with.</param>
    public static ITransformer Load(ModelOperationsCatalog catalog, Stream stream, string source, out DataViewSchema inputSchema)
    {
        var archive = VerifiedArchive.Read(stream, source);
        if (!archive.Contains(ManifestEntry))
            throw new InvalidDataException($"Not an AutoLoss.ML model file: the {source} has no AutoLoss.ML manifest (an ML.NET-only model loads with mlContext.Model.Load).");
        string[] lines;
        using (var reader = new StreamReader(archive.Open(ManifestEntry))) lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string header = lines.Length > 0 ? lines[0] : "";
        if (header == ManifestHeader && !archive.Checksummed)
            throw VerifiedArchive.Damaged(source, "its SHA-256 checksum (the zip comment) is missing");
        if (header != ManifestHeader && header != UncheckedManifestHeader)
            throw new InvalidDataException($"Unsupported AutoLoss.ML model file version in the {source}: '{header}'.");

        using (var schemaStream = archive.Open(InputSchemaEntry))
            catalog.Load(schemaStream, out inputSchema);
        var loaded = new List<ITransformer>();
        try
        {
            foreach (var line in lines.Skip(1))
            {
                var fields = line.Split(' ', 2);
                if (fields.Length != 2) throw new InvalidDataException($"Corrupt manifest line '{line}' in the {source}.");
                using var entry = archive.Open(fields[1]);
                switch (fields[0])
                {
                    case MlNetKind:
                        loaded.AddRange(Flatten(catalog.Load(entry, out _)));
                        break;
                    default:
                        loaded.Add(ModelSerializers.ForTag(fields[0])?.Read(entry) ?? throw new InvalidDataException($"Unknown transformer kind '{fields[0]}' in the {source}; it was written by a newer AutoLoss.ML."));
                        break;
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
}
