using AutoLoss.Core.Students;
using AutoLoss.ML.Datasets;
using AutoLoss.ML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests;

/// <summary>Small seeded data and fast trainer options shared by the tests.</summary>
internal static class TestData
{
    public const int Features = 8;
    public const int Classes = 3;

    /// <summary>Well-separated Gaussian clusters with a key-typed label (MapValueToKey applied and materialised).</summary>
    public static IDataView Clusters(MLContext ml, int rows = 600, int seed = 7, float separation = 4f)
    {
        var raw = SyntheticData.GaussianClusters(ml, rows, Features, Classes, seed, separation);
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);
    }

    /// <summary>Options of any AdaptiveLoss trainer that train a tiny MLP (16 hidden units) in well under a second.</summary>
    public static TOptions Fast<TOptions>(int epochs = 5, Action<TOptions>? configure = null) where TOptions : AdaptiveLossTrainerOptionsBase, new()
    {
        var options = new TOptions
        {
            Student = new MlpSpec { HiddenSizes = [16] },
            NumberOfEpochs = epochs,
            BatchSize = 32,
            LearningRate = 0.05,
            Seed = 3,
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Fast multiclass options (<see cref="Fast{TOptions}"/>).</summary>
    public static AdaptiveLossMulticlassTrainer.Options FastOptions(Action<AdaptiveLossMulticlassTrainer.Options>? configure = null) =>
        Fast(configure: configure);

    /// <summary>Adds a float "Weight" column computed from each row's label key.</summary>
    public static IDataView WithWeights(MLContext ml, IDataView data, Func<uint, float> weightOfKey) =>
        ml.Transforms.CustomMapping<LabelKey, WeightColumn>((input, output) => output.Weight = weightOfKey(input.Label), contractName: null)
            .Fit(data).Transform(data);

    public sealed class LabelKey { public uint Label { get; set; } }

    public sealed class WeightColumn { public float Weight { get; set; } }

    /// <summary>Asserts that <paramref name="model"/> scores <paramref name="data"/> the same after a save to memory and
    /// a load (<c>SaveWithAutoLoss</c> / <c>LoadWithAutoLoss</c>).</summary>
    public static void AssertScoresSurviveSaveAndLoad(MLContext ml, ITransformer model, IDataView data)
    {
        using var stream = new MemoryStream();
        ml.Model.SaveWithAutoLoss(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = ml.Model.LoadWithAutoLoss(stream, out _);
        try
        {
            CollectionAssert.AreEqual(model.Transform(data).GetColumn<float>("Score").ToArray(), loaded.Transform(data).GetColumn<float>("Score").ToArray());
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    public static float Accuracy(MLContext ml, ITransformer model, IDataView data) =>
        (float)ml.MulticlassClassification.Evaluate(model.Transform(data)).MicroAccuracy;

    /// <summary>All Score values of a scored view, row by row: the vector of a classifier, or a
    /// one-element array holding a regression Score.</summary>
    public static List<float[]> Scores(IDataView scored)
    {
        var column = scored.Schema["Score"];
        if (column.Type is not VectorDataViewType)
            return scored.GetColumn<float>(column).Select(v => new[] { v }).ToList();
        var result = new List<float[]>();
        using var cursor = scored.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            result.Add(buffer.DenseValues().ToArray());
        }
        return result;
    }

    /// <summary>Linear regression data (<see cref="SyntheticData.LinearRegression"/>, noise 0.1, so the best MSE is 0.01).</summary>
    public static IDataView Linear(MLContext ml, int rows = 600, int seed = 7) => SyntheticData.LinearRegression(ml, rows, Features, seed, noise: 0.1f);

    /// <summary>Fast regression options (<see cref="Fast{TOptions}"/>, 10 epochs).</summary>
    public static AdaptiveLossRegressionTrainer.Options FastRegressionOptions(Action<AdaptiveLossRegressionTrainer.Options>? configure = null) =>
        Fast(epochs: 10, configure: configure);

    /// <summary>Mean squared error of a fitted regression model on <paramref name="data"/>, by ML.NET's evaluator.</summary>
    public static double MeanSquaredError(MLContext ml, ITransformer model, IDataView data) =>
        ml.Regression.Evaluate(model.Transform(data)).MeanSquaredError;

    /// <summary>MSE on <paramref name="test"/> of the trivial model that predicts the mean label of <paramref name="train"/>.</summary>
    public static double MeanBaselineMse(IDataView train, IDataView test)
    {
        double mean = train.GetColumn<float>("Label").Average(v => (double)v);
        return test.GetColumn<float>("Label").Average(v => (v - mean) * (v - mean));
    }

    /// <summary>Rows for PredictionEngine / LoadFromEnumerable tests.</summary>
    public sealed class Row
    {
        public float Label { get; set; }

        [VectorType(TestData.Features)]
        public float[] Features { get; set; } = [];
    }

    public sealed class RegressionPrediction
    {
        public float Score { get; set; }
    }

    public sealed class Prediction
    {
        public float[] Score { get; set; } = [];

        public uint PredictedLabel { get; set; }
    }

    /// <summary>Three separable blobs in 4 features (class c shifted along feature c), as core tensors: the small
    /// problem of the search tests.</summary>
    public static AutoLoss.Core.Data.InMemoryDataset Blobs(int rows, int seed)
    {
        var random = new Random(seed);
        var features = new float[rows * 4];
        var labels = new long[rows];
        for (int i = 0; i < rows; i++)
        {
            labels[i] = i % 3;
            for (int j = 0; j < 4; j++)
                features[i * 4 + j] = (float)(random.NextDouble() - 0.5 + (j == labels[i] ? 1.5 : 0));
        }
        return new AutoLoss.Core.Data.InMemoryDataset(features, labels, null, 4, TorchSharp.torch.CPU);
    }

    /// <summary>Scores candidate losses on the blobs: a 3-epoch run of an 8-unit MLP per candidate, accuracy on the
    /// validation rows (the core's <see cref="AutoLoss.Core.Search.LossTrialEvaluator{TCandidate}"/> with one proxy task).</summary>
    public static AutoLoss.Core.Search.LossTrialEvaluator<T> BlobsLossEvaluator<T>(AutoLoss.Core.Data.InMemoryDataset train, AutoLoss.Core.Data.InMemoryDataset validation,
        Func<T, LossOptions> loss) =>
        new([new AutoLoss.Core.Search.LossProxyTask("blobs", TrainingTask.Multiclass(3), train, validation, () => new MlpSpec { HiddenSizes = [8] },
            new AutoLoss.Core.Training.TrainingSettings { NumberOfEpochs = 3, BatchSize = 32, LearningRate = 0.05, Device = ComputeDevice.Cpu })],
            loss, MetricNames.Accuracy);
}
