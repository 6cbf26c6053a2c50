using Microsoft.ML;

namespace AutoLoss.ML.Tests;

/// <summary>
/// The contract every AutoLoss.ML estimator honours, checked the same way for each: the output
/// SchemaShape promised before fitting matches the real output schema, invalid input fails with a
/// clear .NET exception (never a native abort), and the fitted model round-trips through
/// SaveWithAutoLoss/LoadWithAutoLoss with identical outputs.
/// </summary>
internal static class EstimatorContract
{
    public static void Check<TModel>(MLContext ml, IEstimator<TModel> estimator, IDataView data, IDataView invalidData, string scoreColumn = "Score")
        where TModel : class, ITransformer
    {
        var promised = estimator.GetOutputSchema(AutoLoss.ML.Catalog.MlNetInternals.SchemaShapeFrom(data.Schema));
        var model = estimator.Fit(data);
        try
        {
            var actual = model.GetOutputSchema(data.Schema);
            foreach (var column in promised)
            {
                var real = actual.GetColumnOrNull(column.Name);
                Assert.IsNotNull(real, $"promised column {column.Name} is missing");
                Assert.AreEqual(column.ItemType.RawType, (real.Value.Type.GetItemType()).RawType, column.Name);
                Assert.AreEqual(column.IsKey, real.Value.Type is Microsoft.ML.Data.KeyDataViewType, column.Name);
                foreach (var annotation in column.Annotations)
                    Assert.IsNotNull(real.Value.Annotations.Schema.GetColumnOrNull(annotation.Name), $"{column.Name} lacks annotation {annotation.Name}");
            }
            Assert.AreEqual(actual.Count, model.Transform(data).Schema.Count);

            var error = Assert.Throws<Exception>(() => estimator.Fit(invalidData));
            Assert.IsInstanceOfType<ArgumentException>(error, error.ToString());

            using var stream = new MemoryStream();
            ml.Model.SaveWithAutoLoss(model, data.Schema, stream);
            stream.Position = 0;
            var loaded = ml.Model.LoadWithAutoLoss(stream, out _);
            var before = TestData.Scores(model.Transform(data));
            var after = TestData.Scores(loaded.Transform(data));
            Assert.HasCount(before.Count, after);
            for (int i = 0; i < before.Count; i++) CollectionAssert.AreEqual(before[i], after[i]);
            foreach (var part in (IEnumerable<ITransformer>)loaded) (part as IDisposable)?.Dispose();
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    private static Microsoft.ML.Data.DataViewType GetItemType(this Microsoft.ML.Data.DataViewType type) =>
        type is Microsoft.ML.Data.VectorDataViewType v ? v.ItemType : type;
}
