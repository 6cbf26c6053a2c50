using AutoLoss.Core.Students;
using AutoLoss.ML.Datasets;
using AutoLoss.ML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests;

/// <summary>ValidationData is used as given: the transforms before the trainer in a pipeline only see the data
/// passed to Fit. A raw validation set must be told to go through the same fitted transforms, not to add a
/// transform the pipeline already has.</summary>
[TestClass]
public sealed class ValidationDataTests
{
    private static TOptions Tiny<TOptions>(IDataView validation) where TOptions : AdaptiveLossTrainerOptionsBase, new() =>
        TestData.Fast<TOptions>(epochs: 1, configure: o =>
        {
            o.Student = new MlpSpec { HiddenSizes = [8] };
            o.ValidationData = validation;
        });

    private static void AssertSaysPassThroughTheFittedTransforms(ArgumentOutOfRangeException error, string preprocessing)
    {
        StringAssert.Contains(error.Message, "ValidationData");
        StringAssert.Contains(error.Message, "same fitted transforms as the training data");
        StringAssert.Contains(error.Message, "ValidationData = prep.Transform(validation)");
        StringAssert.Contains(error.Message, preprocessing);
        Assert.AreEqual("ValidationData", error.ParamName);
    }

    [TestMethod]
    public void RawMulticlassValidationDataIsToldToPassThroughTheSameFittedTransforms()
    {
        var ml = new MLContext(seed: 1);
        var train = SyntheticData.GaussianClusters(ml, 90, TestData.Features, TestData.Classes, seed: 7, separation: 4f);
        var validation = SyntheticData.GaussianClusters(ml, 30, TestData.Features, TestData.Classes, seed: 8, separation: 4f);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.AdaptiveLoss(Tiny<AdaptiveLossMulticlassTrainer.Options>(validation)));

        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => pipeline.Fit(train));
        AssertSaysPassThroughTheFittedTransforms(error, "MapValueToKey(\"Label\")");
        Assert.DoesNotContain("Add mlContext.Transforms.Conversion.MapValueToKey", error.Message, "the pipeline already has it");

        // The advice works.
        var prep = ml.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(Tiny<AdaptiveLossMulticlassTrainer.Options>(prep.Transform(validation)))
            .Fit(prep.Transform(train));
        Assert.HasCount(1, model.TrainingHistory);
    }

    [TestMethod]
    public void RawRegressionAndBinaryValidationDataGetTheSameAdvice()
    {
        var ml = new MLContext(seed: 1);
        IDataView AsDouble(IDataView data) => ml.Transforms.Conversion.ConvertType("Label", outputKind: DataKind.Double).Fit(data).Transform(data);

        var regressionTrain = AsDouble(TestData.Linear(ml, 90, seed: 7));
        var regressionValidation = AsDouble(TestData.Linear(ml, 30, seed: 8));
        var regression = ml.Transforms.Conversion.ConvertType("Label", outputKind: DataKind.Single)
            .Append(ml.Regression.Trainers.AdaptiveLoss(Tiny<AdaptiveLossRegressionTrainer.Options>(regressionValidation)));
        AssertSaysPassThroughTheFittedTransforms(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => regression.Fit(regressionTrain)),
            "ConvertType(\"Label\", outputKind: DataKind.Single)");

        // Labels 0/1 as floats; the pipeline makes them Boolean.
        var binaryTrain = SyntheticData.GaussianClusters(ml, 90, TestData.Features, 2, seed: 7, separation: 4f);
        var binaryValidation = SyntheticData.GaussianClusters(ml, 30, TestData.Features, 2, seed: 8, separation: 4f);
        var binary = ml.Transforms.Conversion.ConvertType("Label", outputKind: DataKind.Boolean)
            .Append(ml.BinaryClassification.Trainers.AdaptiveLoss(Tiny<AdaptiveLossBinaryTrainer.Options>(binaryValidation)));
        AssertSaysPassThroughTheFittedTransforms(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => binary.Fit(binaryTrain)),
            "ConvertType(\"Label\", outputKind: DataKind.Boolean)");
    }

    [TestMethod]
    public void ValidationDataWithoutThePipelinesFeaturesColumnGetsTheSameAdvice()
    {
        var ml = new MLContext(seed: 1);
        IDataView Renamed(IDataView data) => ml.Transforms.CopyColumns("Inputs", "Features").Fit(data).Transform(data);
        var train = Renamed(TestData.Linear(ml, 90, seed: 7));
        var validation = Renamed(TestData.Linear(ml, 30, seed: 8));
        var pipeline = ml.Transforms.CopyColumns("Pixels", "Inputs")
            .Append(ml.Regression.Trainers.AdaptiveLoss(TestData.Fast<AdaptiveLossRegressionTrainer.Options>(epochs: 1, configure: o =>
            {
                o.Student = new MlpSpec { HiddenSizes = [8] };
                o.FeatureColumnName = "Pixels";
                o.ValidationData = validation;
            })));

        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => pipeline.Fit(train));
        AssertSaysPassThroughTheFittedTransforms(error, "Concatenate(\"Pixels\"");
        StringAssert.Contains(error.Message, "'Pixels' is not in the validation data");
    }
}
