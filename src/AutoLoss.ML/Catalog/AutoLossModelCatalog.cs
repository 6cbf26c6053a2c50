using AutoLoss.Core.IO;
using AutoLoss.ML.Persistence;

namespace Microsoft.ML;

/// <summary>Save and load of fitted pipelines that contain AutoLoss.ML transformers (ML.NET's own
/// <c>Model.Save</c> cannot store third-party transformers).</summary>
public static class AutoLossModelCatalog
{
    /// <summary>Saves a fitted pipeline (ML.NET transformers before and after AutoLoss.ML ones are
    /// fine) to one file. The file is replaced all at once: when a part cannot be saved or the write
    /// fails, no file (and no temporary file) is left behind and an existing file is unchanged.</summary>
    /// <param name="catalog"><c>mlContext.Model</c>.</param>
    /// <param name="model">The fitted pipeline or a single transformer.</param>
    /// <param name="inputSchema">Schema of the data the pipeline was fitted on (<c>data.Schema</c>).</param>
    /// <param name="filePath">Destination file.</param>
    public static void SaveWithAutoLoss(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, string filePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        using var buffer = new MemoryStream();
        catalog.SaveWithAutoLoss(model, inputSchema, buffer); // fails before the disk is touched
        AtomicFile.Write(filePath, s => s.Write(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    /// <summary>Saves a fitted pipeline to a stream.</summary>
    public static void SaveWithAutoLoss(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentNullException.ThrowIfNull(stream);
        PipelineArchive.Save(catalog, model, inputSchema, stream);
    }

    /// <summary>Loads a pipeline saved by <see cref="SaveWithAutoLoss(ModelOperationsCatalog, ITransformer, DataViewSchema, string)"/>.</summary>
    /// <exception cref="InvalidDataException">The file is damaged (every byte is verified against the checksum
    /// saved with it before anything is parsed) or not an AutoLoss.ML model.</exception>
    public static ITransformer LoadWithAutoLoss(this ModelOperationsCatalog catalog, string filePath, out DataViewSchema inputSchema)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        ArgumentNullException.ThrowIfNull(catalog);
        using var stream = File.OpenRead(filePath);
        return PipelineArchive.Load(catalog, stream, $"model file '{filePath}'", out inputSchema);
    }

    /// <summary>Loads a pipeline from a stream (read from its position to its end).</summary>
    /// <exception cref="InvalidDataException">The data is damaged or not an AutoLoss.ML model.</exception>
    public static ITransformer LoadWithAutoLoss(this ModelOperationsCatalog catalog, Stream stream, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(stream);
        return PipelineArchive.Load(catalog, stream, "model stream", out inputSchema);
    }
}
