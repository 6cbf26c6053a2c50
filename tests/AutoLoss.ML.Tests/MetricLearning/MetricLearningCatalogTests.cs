using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests.MetricLearning;

[TestClass]
public sealed class MetricLearningCatalogTests
{
    private sealed class Row
    {
        [VectorType(16)] public float[] Features { get; set; } = [];
        public string Label { get; set; } = "";
    }

    private sealed class Embedded
    {
        [VectorType(8)] public float[] Embedding { get; set; } = [];
    }

    private static IDataView Rows(MLContext ml, float[] x, long[] y, Func<int, bool>? keep = null) =>
        ml.Data.LoadFromEnumerable(Enumerable.Range(0, y.Length).Where(i => keep?.Invoke(i) ?? true)
            .Select(i => new Row { Features = x[(i * 16)..((i + 1) * 16)], Label = $"class {y[i]}" }).ToList());

    private static AdaptiveLossEmbeddingTrainer.Options Options(LossOptions? loss = null) => new()
    {
        EmbeddingSize = 8, Student = new MlpSpec { HiddenSizes = [32] }, NumberOfEpochs = 15, BatchSize = 64, LearningRate = 0.05, Seed = 4,
        Loss = loss ?? LossOptions.PerExample(() => new MarginLoss()),
    };

    [TestMethod]
    public void TheTrainerAppendsUnitNormEmbeddingsThatPredictionEngineAndTransformAgreeOn()
    {
        var ml = new MLContext(1);
        var (x, y, _, _) = EmbeddingTaskTests.Clusters();
        var data = Rows(ml, x, y);
        using var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MetricLearning().Trainers.AdaptiveLoss(Options())).Fit(data);
        var column = model.Transform(data).GetColumn<float[]>("Embedding").Take(20).ToList();
        foreach (var e in column)
        {
            Assert.AreEqual(8, e.Length);
            Assert.AreEqual(1, Math.Sqrt(e.Sum(v => v * v)), 1e-4);
        }
        var engine = ml.Model.CreatePredictionEngine<Row, Embedded>(model);
        var one = engine.Predict(new Row { Features = x[..16], Label = "class 0" });
        for (int d = 0; d < 8; d++) Assert.AreEqual(column[0][d], one.Embedding[d], 1e-5);
    }

    [TestMethod]
    public void NearestNeighborRecognisesClassesTheEmbeddingNeverSawFromFiveExamplesEach()
    {
        var ml = new MLContext(1);
        var (seenX, seenY, unseenX, unseenY) = EmbeddingTaskTests.Clusters();
        var train = ml.Transforms.Conversion.MapValueToKey("Label").Fit(Rows(ml, seenX, seenY)).Transform(Rows(ml, seenX, seenY));
        using var embedder = ml.MetricLearning().Trainers.AdaptiveLoss(Options()).Fit(train);
        // Five references per unseen class (the first rows of each), the rest to classify; both keyed the same way.
        var seenRows = new Dictionary<long, int>();
        bool IsReference(int i) => (seenRows[unseenY[i]] = seenRows.GetValueOrDefault(unseenY[i]) + 1) <= 5;
        var flags = Enumerable.Range(0, unseenY.Length).Select(IsReference).ToArray();
        var keys = ml.Transforms.Conversion.MapValueToKey("Label").Fit(Rows(ml, unseenX, unseenY));
        IDataView Embed(IDataView d) => embedder.Transform(keys.Transform(d));
        var references = Embed(Rows(ml, unseenX, unseenY, i => flags[i]));
        var queries = Embed(Rows(ml, unseenX, unseenY, i => !flags[i]));
        var nearest = ml.MetricLearning().NearestNeighbor().Fit(references);
        Assert.AreEqual(20, nearest.NumberOfReferences);
        // The estimator promises the key values it will carry, so a chain can map the prediction back to the label's text.
        var named = ml.MetricLearning().NearestNeighbor().Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabelText", "PredictedLabel")).Fit(references);
        StringAssert.StartsWith(named.Transform(queries).GetColumn<string>("PredictedLabelText").First(), "class ");
        var metrics = ml.MulticlassClassification.Evaluate(nearest.Transform(queries));
        Assert.IsTrue(metrics.MicroAccuracy > 0.8, $"5-shot accuracy on unseen classes {metrics.MicroAccuracy:P1}");
        var predicted = nearest.Transform(queries).GetColumn<uint>("PredictedLabel").ToArray();
        var truth = queries.GetColumn<uint>("Label").ToArray();
        Assert.AreEqual(metrics.MicroAccuracy, predicted.Zip(truth).Count(p => p.First == p.Second) / (double)truth.Length, 1e-9);
    }

    [TestMethod]
    public void APipelineOfEmbeddingAndNearestNeighborSavesLoadsScoresTheSameAndRefusesADamagedFile()
    {
        var ml = new MLContext(1);
        var (x, y, _, _) = EmbeddingTaskTests.Clusters();
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(Rows(ml, x, y)).Transform(Rows(ml, x, y));
        using var embedder = ml.MetricLearning().Trainers.AdaptiveLoss(Options()).Fit(data);
        var nearest = ml.MetricLearning().NearestNeighbor(numberOfNeighbors: 3).Fit(embedder.Transform(ml.Data.TakeRows(data, 40)));
        var pipeline = new TransformerChain<ITransformer>(embedder, nearest);
        string path = Path.Combine(Path.GetTempPath(), $"metric-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.SaveWithAutoLoss(pipeline, data.Schema, path);
            var loaded = ml.Model.LoadWithAutoLoss(path, out _);
            var before = pipeline.Transform(data).GetColumn<float[]>("Score").Take(50).ToList();
            var after = loaded.Transform(data).GetColumn<float[]>("Score").Take(50).ToList();
            for (int i = 0; i < before.Count; i++) CollectionAssert.AreEqual(before[i], after[i]);
            CollectionAssert.AreEqual(pipeline.Transform(data).GetColumn<uint>("PredictedLabel").ToArray(), loaded.Transform(data).GetColumn<uint>("PredictedLabel").ToArray());
            CollectionAssert.AreEqual(pipeline.Transform(data).GetColumn<float[]>("Embedding").First(), loaded.Transform(data).GetColumn<float[]>("Embedding").First());
            (loaded as IDisposable)?.Dispose();

            var bytes = File.ReadAllBytes(path);
            bytes[bytes.Length / 2] ^= 0x10;
            File.WriteAllBytes(path, bytes);
            Assert.ThrowsExactly<InvalidDataException>(() => ml.Model.LoadWithAutoLoss(path, out _));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void AlaOnAnEmbeddingLossTrainsThroughTheCatalogAndHandsBackItsPolicy()
    {
        var ml = new MLContext(1);
        var (x, y, _, _) = EmbeddingTaskTests.Clusters();
        var options = Options(new AlaEmbeddingLossOptions { StepsPerAction = 5, ValidationChecksPerAction = 1 });
        options.ValidationFraction = 0.25;
        options.NumberOfEpochs = 4;
        using var model = ml.MetricLearning().Trainers.AdaptiveLoss(options).Fit(ml.Transforms.Conversion.MapValueToKey("Label").Fit(Rows(ml, x, y)).Transform(Rows(ml, x, y)));
        var policy = model.GetLearnedLoss<AlaPolicyModel>();
        Assert.IsNotNull(policy);
        Assert.AreEqual(AlaPolicyKind.ElementShared, policy.Kind);
        Assert.IsTrue(model.TrainingHistory[^1].ValidationMetric(MetricNames.RecallAt1) > 0.5);
    }

    [TestMethod]
    public void BadColumnsAreRefusedNamingTheColumnAndTheFix()
    {
        var ml = new MLContext(1);
        var (x, y, _, _) = EmbeddingTaskTests.Clusters();
        var unkeyed = Rows(ml, x, y);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MetricLearning().Trainers.AdaptiveLoss(Options()).Fit(unkeyed));
        StringAssert.Contains(error.Message, "MapValueToKey");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MetricLearning().Trainers.AdaptiveLoss(new AdaptiveLossEmbeddingTrainer.Options { EmbeddingSize = 1 }));
        Assert.ThrowsExactly<ArgumentException>(() => ml.MetricLearning().Trainers.AdaptiveLoss(Options(LossOptions.CrossEntropy())));

        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(unkeyed).Transform(unkeyed);
        var missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MetricLearning().NearestNeighbor().Fit(keyed));
        StringAssert.Contains(missing.Message, "Embedding");
        var asEmbedding = ml.Transforms.CopyColumns("Embedding", "Features").Fit(keyed).Transform(keyed);
        var empty = ml.Data.SkipRows(asEmbedding, 1_000_000);
        Assert.ThrowsExactly<ArgumentException>(() => ml.MetricLearning().NearestNeighbor().Fit(empty));
        var nearest = ml.MetricLearning().NearestNeighbor().Fit(asEmbedding);   // 16-value "embeddings"
        using var embedder = ml.MetricLearning().Trainers.AdaptiveLoss(Options()).Fit(keyed);
        var wrongSize = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => nearest.Transform(embedder.Transform(keyed)));
        StringAssert.Contains(wrongSize.Message, "same model");
    }

    [TestMethod]
    public void BothEstimatorsPromiseTheColumnsTheirModelsAppend()
    {
        var ml = new MLContext(1);
        var (x, y, _, _) = EmbeddingTaskTests.Clusters();
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(Rows(ml, x, y)).Transform(Rows(ml, x, y));
        var trainer = ml.MetricLearning().Trainers.AdaptiveLoss(Options());
        var promised = trainer.GetOutputSchema(AutoLoss.ML.Catalog.MlNetInternals.SchemaShapeFrom(data.Schema)).Single(c => c.Name == "Embedding");
        Assert.AreEqual(Microsoft.ML.SchemaShape.Column.VectorKind.Vector, promised.Kind);
        using var embedder = trainer.Fit(data);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 8), embedder.GetOutputSchema(data.Schema)["Embedding"].Type);
        var embedded = embedder.Transform(data);
        EstimatorContract.Check(ml, ml.MetricLearning().NearestNeighbor(), ml.Data.TakeRows(embedded, 40), data);
    }

    [TestMethod]
    public void ClassBalancedBatchesLetManyIdentitiesLearnWhereRandomBatchesFindFewPositives()
    {
        // 400 identities of 6 rows each (an identity is a random point in 4 of 16 features, plus noise), trained on 200 and
        // retrieved among the other 200: a random batch of 32 rows holds almost no two rows of one identity, an 8 x 4
        // class-balanced batch holds 4 of each of 8.
        var ml = new MLContext(1);
        var random = new Random(5);
        var centres = Enumerable.Range(0, 400).Select(_ => Enumerable.Range(0, 16).Select(j => j < 4 ? (float)(random.NextDouble() * 4 - 2) : 0f).ToArray()).ToArray();
        var x = new float[400 * 6 * 16];
        var y = new long[400 * 6];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = i % 400;
            for (int j = 0; j < 16; j++) x[i * 16 + j] = centres[y[i]][j] + (float)(random.NextDouble() * 2 - 1) * (j < 4 ? 0.3f : 2f);
        }
        var keys = ml.Transforms.Conversion.MapValueToKey("Label").Fit(Rows(ml, x, y));
        var seen = keys.Transform(Rows(ml, x, y, i => y[i] < 200));
        var unseen = keys.Transform(Rows(ml, x, y, i => y[i] >= 200));
        double Recall(int rowsPerClass)
        {
            var options = Options();
            options.RowsPerClass = rowsPerClass;
            options.BatchSize = 32;
            options.NumberOfEpochs = 5;
            options.ValidationData = unseen;
            using var model = ml.MetricLearning().Trainers.AdaptiveLoss(options).Fit(seen);
            return model.TrainingHistory[^1].ValidationMetric(MetricNames.RecallAt1)!.Value;
        }
        double balanced = Recall(4), randomRows = Recall(0);
        Console.WriteLine($"Recall@1 of unseen identities: class-balanced {balanced:F3}, random rows {randomRows:F3}");
        Assert.IsTrue(balanced > randomRows + 0.05, $"unseen identities' Recall@1: class-balanced {balanced:F3}, random rows {randomRows:F3}");

        // Data ML.NET cannot count (a filtered view) is cached under Caching = Auto, since the batches need it; Streaming is refused.
        var uncounted = ml.Data.FilterRowsByMissingValues(seen, "Features");
        Assert.IsNull(uncounted.GetRowCount());
        using (ml.MetricLearning().Trainers.AdaptiveLoss(Options()).Fit(uncounted)) { }
        var streamed = Options();
        streamed.Caching = DataCaching.Streaming;
        var refusal = Assert.ThrowsExactly<NotSupportedException>(() => ml.MetricLearning().Trainers.AdaptiveLoss(streamed).Fit(seen));
        StringAssert.Contains(refusal.Message, "RowsPerClass");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MetricLearning().Trainers.AdaptiveLoss(new AdaptiveLossEmbeddingTrainer.Options { RowsPerClass = -1 }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MetricLearning().Trainers.AdaptiveLoss(new AdaptiveLossEmbeddingTrainer.Options { RowsPerClass = 51, BatchSize = 100 }));
    }

    [TestMethod]
    public void TheKNearestReferencesVoteAndATieGoesToTheClassWithTheNearestOne()
    {
        // Class 0 has one reference on the query's direction; class 1 has two slightly off it; class 2 none.
        float[] references = [1, 0, 0.9f, 0.1f, 0.8f, 0.2f];
        int[] labels = [0, 1, 1];
        var outputs = new float[4];
        void Predict(int k)
        {
            var scorer = new AutoLoss.ML.NearestNeighbor.NearestReferenceScorer(references, labels, dimensions: 2, classes: 3, neighbors: k);
            scorer.Predict([2, 0], 1, outputs);
        }
        Predict(1);
        Assert.AreEqual(0, outputs[3], "k = 1: the nearest decides");
        Assert.AreEqual(1, outputs[0], 1e-6);
        Assert.AreEqual(0.9 / Math.Sqrt(0.82), outputs[1], 1e-6);
        Assert.AreEqual(-2, outputs[2], "a class without references scores -2");
        Predict(3);
        Assert.AreEqual(1, outputs[3], "k = 3: two votes for class 1");
        Predict(2);
        Assert.AreEqual(0, outputs[3], "k = 2: a tie, and class 0's reference is nearer");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MLContext(1).MetricLearning().NearestNeighbor(numberOfNeighbors: 0));
    }
}
