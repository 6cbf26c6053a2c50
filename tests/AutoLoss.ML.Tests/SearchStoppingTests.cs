using AutoLoss.Core.Search;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class SearchStoppingTests
{
    private static IntermediateValue[] Curve(params double[] values) => [.. values.Select((v, i) => new IntermediateValue(i + 1, v))];

    private static TrialResult CompletedWith(params double[] values) =>
        TrialResult.Completed(values[^1]) with { IntermediateValues = Curve(values) };

    [TestMethod]
    public void MedianStopperStopsATrialWorseThanTheMedianAndKeepsOneBetter()
    {
        var stopper = new MedianTrialStopper(warmUpTrials: 3, minimumStep: 1);
        stopper.Observe(CompletedWith(0.9, 0.5, 0.3));
        stopper.Observe(CompletedWith(0.8, 0.6, 0.4));
        stopper.Observe(CompletedWith(0.7, 0.7, 0.5));
        var error = SearchObjective.Minimize("Error");

        Assert.IsTrue(stopper.ShouldStop(9, error, Curve(0.95, 0.65)), "best 0.65 is worse than the step-2 median 0.6");
        Assert.IsFalse(stopper.ShouldStop(9, error, Curve(0.95, 0.6)), "equal to the median is not worse");
        Assert.IsFalse(stopper.ShouldStop(9, error, Curve(0.55, 0.65)), "its best so far (0.55) beats the median");
        Assert.IsTrue(stopper.ShouldStop(9, error, Curve(0.9, 0.9, 0.9, 0.9)), "past the references' last step their last values count");
    }

    [TestMethod]
    public void MedianStopperFollowsTheObjectivesDirection()
    {
        var stopper = new MedianTrialStopper(warmUpTrials: 3);
        stopper.Observe(CompletedWith(0.1, 0.5));
        stopper.Observe(CompletedWith(0.2, 0.6));
        stopper.Observe(CompletedWith(0.3, 0.7));
        var accuracy = SearchObjective.Maximize("Accuracy");

        Assert.IsTrue(stopper.ShouldStop(4, accuracy, Curve(0.1, 0.5)));
        Assert.IsFalse(stopper.ShouldStop(4, accuracy, Curve(0.1, 0.65)));
    }

    [TestMethod]
    public void MedianStopperWaitsForWarmUpAndMinimumStepAndIgnoresUnfinishedReferences()
    {
        var stopper = new MedianTrialStopper(warmUpTrials: 3, minimumStep: 2);
        var error = SearchObjective.Minimize("Error");
        stopper.Observe(CompletedWith(0.1, 0.1));
        stopper.Observe(CompletedWith(0.1, 0.1));
        stopper.Observe(TrialResult.Failed("x") with { IntermediateValues = Curve(0.1, 0.1) });
        stopper.Observe(TrialResult.Completed(0.1) with { Status = TrialStatus.StoppedEarly, IntermediateValues = Curve(0.1, 0.1) });
        Assert.AreEqual(2, stopper.CompletedTrials);
        Assert.IsFalse(stopper.ShouldStop(5, error, Curve(0.9, 0.9)), "two references are below the warm-up of three");

        stopper.Observe(CompletedWith(0.1, 0.1));
        Assert.IsFalse(stopper.ShouldStop(5, error, Curve(0.9)), "step 1 is before the minimum step");
        Assert.IsTrue(stopper.ShouldStop(5, error, Curve(0.9, 0.9)));
        Assert.IsTrue(stopper.ShouldStop(5, error, Curve(double.NaN, double.NaN)), "a diverged trial is worse than any median");
    }

    [TestMethod]
    public void InvalidStopperSettingsAreRejectedWithTheirNames()
    {
        Assert.Contains("warmUpTrials", Assert.ThrowsExactly<ArgumentException>(() => new MedianTrialStopper(warmUpTrials: 0)).Message);
        Assert.Contains("minimumStep", Assert.ThrowsExactly<ArgumentException>(() => new MedianTrialStopper(minimumStep: -1)).Message);
    }

    /// <summary>Error curves q + 1/step over ten steps: candidate q is the trial's final error.</summary>
    private static DelegateTrialEvaluator<double> CurveEvaluator() => new(SearchObjective.Minimize("Error"), (trial, reporter, _) =>
    {
        for (int step = 1; step <= 10; step++) reporter.Report(step, trial.Candidate + 1.0 / step);
        return TrialResult.Completed(trial.Candidate + 0.1);
    });

    [TestMethod]
    public async Task MedianStopperStopsHopelessTrialsInASearchButNeverTheBest()
    {
        double[] qualities = [0.5, 0.6, 0.4, 0.9, 0.95, 0.8, 0.45, 0.85, 0.1, 0.7, 0.99, 0.3];
        foreach (int perRound in new[] { 1, 4 })
        {
            var options = SearchTesting.Options(maxTrials: 100, concurrent: 4, perRound: perRound, stopper: new MedianTrialStopper(warmUpTrials: 3, minimumStep: 2));
            var result = await new SearchRunner<double>(new FixedListStrategy<double>(qualities), CurveEvaluator(), options).RunAsync();

            Assert.AreEqual(0.1, result.Best!.Trial.Candidate, $"rounds of {perRound}");
            Assert.AreEqual(TrialStatus.Completed, result.Best.Result.Status);
            Assert.IsGreaterThanOrEqualTo(3, result.Count(TrialStatus.StoppedEarly), $"rounds of {perRound}");
            foreach (var stopped in result.Trials.Where(t => t.Result.Status == TrialStatus.StoppedEarly))
            {
                Assert.IsGreaterThan(0.3, stopped.Trial.Candidate, "only trials worse than the median are stopped");
                Assert.IsLessThan(10, stopped.Result.IntermediateValues.Count, "a stopped trial ends before its last step");
                Assert.AreEqual(stopped.Result.IntermediateValues[^1].Value, stopped.Result.MetricValue, "its value is the best it reached");
            }
        }
    }

    [TestMethod]
    public async Task WithoutAStopperEveryTrialCompletes()
    {
        double[] qualities = [0.5, 0.6, 0.4, 0.9, 0.95, 0.8];
        var result = await new SearchRunner<double>(new FixedListStrategy<double>(qualities), CurveEvaluator(), SearchTesting.Options(maxTrials: 100)).RunAsync();
        Assert.AreEqual(6, result.Count(TrialStatus.Completed));
        Assert.IsTrue(result.Trials.All(t => t.Result.IntermediateValues.Count == 10));
    }

    [TestMethod]
    public async Task ReportingAStepTwiceFailsTheTrialWithAClearMessage()
    {
        var evaluator = new DelegateTrialEvaluator<double>(SearchObjective.Minimize("Error"), (trial, reporter, _) =>
        {
            reporter.Report(2, 1.0);
            reporter.Report(2, 0.5);
            return TrialResult.Completed(0.5);
        });
        var result = await new SearchRunner<double>(new FixedListStrategy<double>([1.0]), evaluator).RunAsync();
        Assert.AreEqual(TrialStatus.Failed, result.Trials[0].Result.Status);
        Assert.Contains("strictly increasing", result.Trials[0].Result.ErrorMessage!);
    }
}
