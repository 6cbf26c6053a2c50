using Microsoft.ML;

namespace AutoLoss.ML.Persistence;

/// <summary>How one kind of AutoLoss.ML transformer is stored in a pipeline file: its manifest tag and its entry's
/// writer and reader.</summary>
internal sealed record ModelSerializer(string Tag, Type Type, Action<ITransformer, Stream> Write, Func<Stream, ITransformer> Read);

/// <summary>
/// The one registration point of the transformers <see cref="PipelineArchive"/> can store: a new kind of model adds
/// its serializer here and the archive needs no new case. Tags are written to files: never change or reuse one.
/// </summary>
internal static class ModelSerializers
{
    private static readonly ModelSerializer[] All =
    [
        Of<AdaptiveLossMulticlassTransformer>(MulticlassModelSerializer.Tag, MulticlassModelSerializer.Write, MulticlassModelSerializer.Read),
        Of<AdaptiveLossBinaryTransformer>(BinaryModelSerializer.Tag, BinaryModelSerializer.Write, BinaryModelSerializer.Read),
        Of<AdaptiveLossRegressionTransformer>(RegressionModelSerializer.Tag, RegressionModelSerializer.Write, RegressionModelSerializer.Read),
        Of<AdaptiveLossEmbeddingTransformer>(EmbeddingModelSerializer.Tag, EmbeddingModelSerializer.Write, EmbeddingModelSerializer.Read),
        Of<EmbeddingNearestNeighborTransformer>(NearestNeighborSerializer.Tag, NearestNeighborSerializer.Write, NearestNeighborSerializer.Read),
    ];

    /// <summary>The serializer of <paramref name="model"/>'s exact type, or null for a transformer stored by ML.NET.</summary>
    public static ModelSerializer? For(ITransformer model) => All.FirstOrDefault(s => s.Type == model.GetType());

    /// <summary>The serializer written under <paramref name="tag"/>, or null.</summary>
    public static ModelSerializer? ForTag(string tag) => All.FirstOrDefault(s => s.Tag == tag);

    private static ModelSerializer Of<T>(string tag, Action<T, Stream> write, Func<Stream, T> read) where T : ITransformer =>
        new(tag, typeof(T), (model, stream) => write((T)model, stream), stream => read(stream));
}
