using AutoLoss.Core.Teaching.Schedules;
using AutoLoss.ML.Datasets;
using AutoLoss.ML.Scoring;
using AutoLoss.ML.Trainers;
using Microsoft.ML;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class ScheduleTests
{
    private static readonly SparseTasks.Process Sparse = new(Features: 12, Informative: 3, Noise: 0.5, Seed: 4);

    private static AdaptiveLossRegressionTrainer.Options Linear(Action<AdaptiveLossRegressionTrainer.Options>? configure = null)
    {
        var options = TestData.FastRegressionOptions(o =>
        {
            o.Student = new AutoLoss.MlpSpec { HiddenSizes = [] };
            o.ValidationFraction = 0.25;
        });
        configure?.Invoke(options);
        return options;
    }

    private static ScheduleLossOptions FastSchedule() => new() { TeacherEpisodes = 2, RewardEvery = 4, L1Strength = 0.01 };

    [TestMethod]
    public void ControllerPicksEveryObjectiveAtLeastOnceOnAToyProblem()
    {
        var ml = new MLContext(seed: 1);
        var data = SparseTasks.LinearRegression(ml, Sparse, 300, rowSeed: 1);
        var loss = FastSchedule();
        var reports = new List<ScheduleEpisodeReport>();
        loss.EpisodeCompleted += reports.Add;
        var model = ml.Regression.Trainers.AdaptiveLoss(Linear(o => o.Loss = loss)).Fit(data);
        Assert.HasCount(3, reports);
        Assert.IsTrue(reports.All(r => r.ChoiceShares.All(share => share > 0)), string.Join("; ", reports.Select(r => string.Join("/", r.ChoiceShares))));
        Assert.IsTrue(reports[^1].IsFinal);
        Assert.IsGreaterThan(0, model.GetLearnedLoss<ScheduleController>()!.Updates);
        Assert.IsLessThan(1.0, ml.Regression.Evaluate(model.Transform(data)).MeanSquaredError, "the student still learns the function");
    }

    [TestMethod]
    public void ReinforceRaisesTheProbabilityOfARewardedChoiceAndLowersAPenalisedOne()
    {
        float[] state = [0.5f, 0.1f, -0.2f, 0.3f, 0.6f, 0.4f];
        foreach (double reward in new[] { 1.0, -1.0 })
        {
            TorchSharp.torch.random.manual_seed(3);
            using var controller = new ScheduleController(state.Length, choices: 2);
            controller.EnableLearning(0.05);
            var random = new Random(1);
            controller.Choose(state, random);
            controller.Reward(0);               // first episode: sets the segment's baseline b_0 = 0
            controller.Learn();
            controller.EndEpisode();

            int chosen = controller.Choose(state, random);
            double before = controller.Probabilities(state)[chosen];
            double advantage = controller.Reward(reward);
            Assert.AreEqual(Math.Sign(reward), Math.Sign(advantage), "advantage = reward - baseline");
            Assert.IsTrue(controller.Learn());
            double after = controller.Probabilities(state)[chosen];
            if (reward > 0) Assert.IsGreaterThan(before, after, "a positive advantage makes the choice more likely");
            else Assert.IsLessThan(before, after, "a negative advantage makes the choice less likely");
        }
    }

    /// <summary>A controller taught to prefer choice 0 then sees only rewards that favour nothing (every advantage is 0):
    /// plain REINFORCE leaves it where it is, the entropy bonus pulls it back towards uniform choices.</summary>
    [TestMethod]
    public void EntropyBonusPullsAPolicyWithoutEvidenceBackTowardsUniform()
    {
        float[] state = [0.2f, -0.4f, 0.1f, 0.3f, 0.5f, 0.5f];
        TorchSharp.torch.random.manual_seed(5);
        using var taught = new ScheduleController(state.Length, choices: 2);
        taught.EnableLearning(0.05);
        var random = new Random(2);
        for (int episode = 0; episode < 80; episode++)
        {
            taught.Reward(taught.Choose(state, random) == 0 ? 1 : -1);
            taught.Learn();
            taught.EndEpisode();
        }
        double start = taught.Probabilities(state)[0];
        Assert.IsGreaterThan(0.8, start, "the rewarded choice became likely");

        double AfterUninformativeRewards(double entropyBonus)
        {
            using var controller = taught.Clone();
            controller.EnableLearning(0.05, entropyBonus: entropyBonus);
            for (int step = 0; step < 40; step++)
            {
                controller.Choose(state, random);
                Assert.AreEqual(0, controller.Reward(1), "each segment is a first visit: its baseline is its own return");
                Assert.IsTrue(controller.Learn());
            }
            return controller.Probabilities(state)[0];
        }
        Assert.AreEqual(start, AfterUninformativeRewards(0), 1e-6, "no advantage, no entropy bonus: theta does not move");
        double pulled = AfterUninformativeRewards(0.5);
        Assert.IsLessThan(start - 0.5 * (start - 0.5), pulled, $"from {start:F3} towards 0.5, reached {pulled:F3}");
        Assert.IsGreaterThan(0.45, pulled, "it approaches uniform without overshooting to the other choice");
    }

    /// <summary>Choice 0 costs reward in its own segment and pays more in the next one (like an L1 step): the reward-to-go
    /// (discount 1, credited at episode ends against the other episodes of a group) learns to prefer it, while
    /// immediate rewards (discount 0) learn to avoid it.</summary>
    [TestMethod]
    public void RewardToGoCreditsAChoiceWhosePayoffComesLater()
    {
        float[] first = [0.1f, 0.2f, -0.1f, 0.3f, 0.5f, 0.5f], later = [0.9f, -0.3f, 0.2f, -0.2f, 0.5f, 0.5f];
        double Learned(double discount, int episodesPerUpdate)
        {
            TorchSharp.torch.random.manual_seed(7);
            using var controller = new ScheduleController(first.Length, choices: 2);
            controller.EnableLearning(0.05, discount, episodesPerUpdate);
            var random = new Random(3);
            for (int episode = 0; episode < 60; episode++)
            {
                bool delayed = controller.Choose(first, random) == 0;
                controller.Reward(delayed ? -1 : 0);
                controller.Choose(later, random);
                controller.Reward(delayed ? 3 : 0);
                if (discount == 0) controller.Learn();
                controller.EndEpisode();
                controller.Learn();
            }
            return controller.Probabilities(first)[0];
        }
        Assert.IsGreaterThan(0.7, Learned(discount: 1, episodesPerUpdate: 4), "reward-to-go: -1 + 3 > 0");
        Assert.IsGreaterThan(0.7, Learned(discount: 1, episodesPerUpdate: 1), "reward-to-go against moving baselines");
        Assert.IsLessThan(0.3, Learned(discount: 0, episodesPerUpdate: 1), "immediate reward: -1 < 0");
    }

    /// <summary>Every episode of 60 decisions ends with one reward that favours a mix of 20% choice 0 (like a final
    /// validation loss that depends on the L1 share). Step-level sampling scatters an episode's mix by only ~6%, and at a
    /// small learning rate plain REINFORCE barely moves; episode-level exploration tries clearly different mixes and
    /// moves the policy to the favoured one, and its frozen probabilities carry no offset.</summary>
    [TestMethod]
    public void EpisodeExplorationMovesThePolicyToTheMixTheEpisodeRewardsFavour()
    {
        float[] state = [0.3f, -0.1f, 0.2f, 0.1f, 0.5f, 0.5f];
        double Learned(double exploration)
        {
            TorchSharp.torch.random.manual_seed(11);
            using var controller = new ScheduleController(state.Length, choices: 2);
            controller.EnableLearning(0.002, discount: 1, episodesPerUpdate: 8, episodeExploration: exploration);
            var random = new Random(4);
            for (int episode = 0; episode < 96; episode++)
            {
                controller.BeginEpisode(random);
                int zeros = Enumerable.Range(0, 60).Count(_ => controller.Choose(state, random) == 0);
                controller.Reward(-Math.Abs(zeros / 60.0 - 0.2));
                controller.EndEpisode();
                controller.Learn();
            }
            Assert.AreEqual(exploration > 0 ? 24 : 12, controller.Updates, "one REINFORCE step per group of 8, and one move of the output bias with exploration");
            controller.SettleExploration();
            var p = controller.Probabilities(state);
            Assert.AreEqual(p[0], controller.Probabilities(state)[0], "a frozen read draws no offset");
            return p[0];
        }
        double plain = Learned(0), explored = Learned(0.5);
        Assert.IsGreaterThan(0.4, plain, $"plain REINFORCE at this learning rate stays near uniform ({plain:F3})");
        Assert.IsLessThan(0.3, explored, $"episode exploration finds the favoured 20% mix ({explored:F3})");
        Assert.IsGreaterThan(0.1, explored, "without overshooting to the other choice");
    }

    /// <summary>Balanced learning episodes render each episode's mix without dice, under its exploration offset: the two
    /// episodes of an antithetic pair take mixes on opposite sides of the near-uniform policy, and only the output bias
    /// learns (one move per group, no step-level REINFORCE step).</summary>
    [TestMethod]
    public void BalancedLearningEpisodesTryOppositeMixesInAntitheticPairs()
    {
        var ml = new MLContext(seed: 1);
        var loss = FastSchedule();
        loss.TeacherEpisodes = 4;
        loss.EpisodesPerUpdate = 2;
        loss.PairedEpisodes = true;
        loss.EpisodeExploration = 2;
        loss.LearningChoices = ScheduleChoiceRendering.Balanced;
        var reports = new List<ScheduleEpisodeReport>();
        loss.EpisodeCompleted += reports.Add;
        using var model = ml.Regression.Trainers.AdaptiveLoss(Linear(o => o.Loss = loss)).Fit(SparseTasks.LinearRegression(ml, Sparse, 200, rowSeed: 7));
        var controller = model.GetLearnedLoss<ScheduleController>()!;
        Assert.HasCount(5, reports);
        for (int pair = 0; pair < 2; pair++)
        {
            double first = reports[2 * pair].ChoiceShares[1], second = reports[2 * pair + 1].ChoiceShares[1];
            Assert.IsGreaterThan(0.1, Math.Abs(first - second), $"pair {pair + 1}: L1 shares {first:P1} and {second:P1} differ");
        }
        double center = (reports[0].ChoiceShares[1] + reports[1].ChoiceShares[1]) / 2;
        Assert.AreEqual(0.5, center, 0.03, "the first pair straddles the near-uniform initial policy symmetrically");
        Assert.AreEqual(2, reports[3].ControllerUpdates, "one bias move per group of 2, no REINFORCE steps");
        Assert.AreEqual(2, controller.Updates);
        // Only the bias learns, so the controller starts (and stays) independent of the state: one learned mix.
        var probabilities = controller.Probabilities(new float[6]);
        CollectionAssert.AreEqual(probabilities, controller.Probabilities([1f, -2f, 0.5f, 3f, 0.2f, 0.8f]));
        Assert.AreNotEqual(0.5f, probabilities[0], "the mix moved from uniform");
    }

    [TestMethod]
    public void EpisodeExplorationWithoutGroupsIsRefused()
    {
        using var controller = new ScheduleController(6, 2);
        Assert.ThrowsExactly<ArgumentException>(() => controller.EnableLearning(0.05, discount: 1, episodesPerUpdate: 1, episodeExploration: 0.5));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => controller.EnableLearning(0.05, discount: 1, episodesPerUpdate: 4, episodeExploration: -1));
        var error = Assert.Throws<ArgumentException>(() => new ScheduleLossOptions { EpisodeExploration = 0.5, EpisodesPerUpdate = 1 }.Validate(TrainingTask.Regression, "Loss"));
        StringAssert.Contains(error.Message, "EpisodeExploration");
        StringAssert.Contains(error.Message, "EpisodesPerUpdate >= 2");
        error = Assert.Throws<ArgumentException>(() => new ScheduleLossOptions { LearningChoices = ScheduleChoiceRendering.Balanced }.Validate(TrainingTask.Regression, "Loss"));
        StringAssert.Contains(error.Message, "LearningChoices");
    }

    [TestMethod]
    public void EpisodesOfAPartialGroupAreStillCreditedAfterTheLastTrainingEpisode()
    {
        var ml = new MLContext(seed: 1);
        var loss = FastSchedule();
        loss.EpisodesPerUpdate = 8;   // more than TeacherEpisodes
        var reports = new List<ScheduleEpisodeReport>();
        loss.EpisodeCompleted += reports.Add;
        ml.Regression.Trainers.AdaptiveLoss(Linear(o => o.Loss = loss)).Fit(SparseTasks.LinearRegression(ml, Sparse, 200, rowSeed: 5));
        Assert.AreEqual(0, reports[0].ControllerUpdates, "the first episode waits for its group");
        Assert.AreEqual(1, reports[1].ControllerUpdates, "the last training episode flushes the group");
    }

    /// <summary>With PairedEpisodes the episodes of a group start from the same weights and read the same first batch;
    /// the next group starts elsewhere. A custom objective records both at every student's first step.</summary>
    [TestMethod]
    public void PairedEpisodesShareTheStudentsInitialisationAndBatchOrderWithinAGroup()
    {
        var firstSteps = new List<(float Weights, float Features)>();
        var probe = ScheduleObjective.Custom("probe", state =>
        {
            if (state.Step == 0)
                using (TorchSharp.torch.no_grad())
                    firstSteps.Add((ScheduleObjective.WeightL1(state.Student).item<float>(), state.Features.sum().item<float>()));
            return state.Logits.mean().mul(0);
        });
        var loss = FastSchedule();
        loss.Objectives = [ScheduleObjective.TaskLoss, ScheduleObjective.L1Penalty(0.01), probe];
        loss.TeacherEpisodes = 4;
        loss.EpisodesPerUpdate = 2;
        loss.PairedEpisodes = true;
        var ml = new MLContext(seed: 1);
        ml.Regression.Trainers.AdaptiveLoss(Linear(o => o.Loss = loss)).Fit(SparseTasks.LinearRegression(ml, Sparse, 200, rowSeed: 5));
        Assert.HasCount(5, firstSteps, "four episodes and the final student");
        Assert.AreEqual(firstSteps[0], firstSteps[1], "episodes 1 and 2 form a group");
        Assert.AreEqual(firstSteps[2], firstSteps[3], "episodes 3 and 4 form a group");
        Assert.AreNotEqual(firstSteps[0].Weights, firstSteps[2].Weights, "groups start from different weights");

        firstSteps.Clear();
        loss.PairedEpisodes = false;
        ml.Regression.Trainers.AdaptiveLoss(Linear(o => o.Loss = loss)).Fit(SparseTasks.LinearRegression(ml, Sparse, 200, rowSeed: 5));
        Assert.AreNotEqual(firstSteps[0].Weights, firstSteps[1].Weights, "unpaired, every episode has its own seed");
    }

    [TestMethod]
    public void SavedControllerLoadsWithIdenticalChoiceProbabilities()
    {
        TorchSharp.torch.random.manual_seed(5);
        using var controller = new ScheduleController(6, 2, choiceNames: ["discriminator", "generator"]) { RewardEvery = 7 };
        controller.EnableLearning(0.05);
        var random = new Random(2);
        float[] state = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f];
        for (int i = 0; i < 3; i++) { controller.Choose(state, random); controller.Reward(i); controller.Learn(); }
        using var stream = new MemoryStream();
        controller.Save(stream);
        stream.Position = 0;
        using var loaded = ScheduleController.Load(stream);
        CollectionAssert.AreEqual(controller.Probabilities(state), loaded.Probabilities(state));
        Assert.AreEqual(controller.Updates, loaded.Updates);
        CollectionAssert.AreEqual(new[] { "discriminator", "generator" }, loaded.ChoiceNames!.ToArray());
        Assert.AreEqual(7, loaded.RewardEvery);
        Assert.IsFalse(loaded.Learns, "a loaded controller is frozen until EnableLearning");
        Assert.ThrowsExactly<InvalidDataException>(() => ScheduleController.Load(new MemoryStream([9, 9, 9])));
    }

    [TestMethod]
    public void ScheduledRegressionPassesEvaluatePredictionEngineAndSaveLoad()
    {
        var ml = new MLContext(seed: 1);
        var data = SparseTasks.LinearRegression(ml, Sparse, 200, rowSeed: 2);
        var invalid = TestData.Clusters(ml, rows: 40);       // key-typed label: not a regression label
        EstimatorContract.Check(ml, ml.Regression.Trainers.AdaptiveLoss(Linear(o => o.Loss = FastSchedule())), data, invalid);
    }

    [TestMethod]
    public void PretrainedControllerSchedulesAnotherProcessWithoutLearning()
    {
        var ml = new MLContext(seed: 1);
        var trained = FastSchedule();
        using var trainedModel = ml.Regression.Trainers.AdaptiveLoss(Linear(o => o.Loss = trained)).Fit(SparseTasks.LinearRegression(ml, Sparse, 200, rowSeed: 3));
        var controller = trainedModel.GetLearnedLoss<ScheduleController>();
        var other = new SparseTasks.Process(Features: 20, Informative: 5, Noise: 1.0, Seed: 9);
        var transfer = new ScheduleLossOptions { PretrainedController = controller, RewardEvery = trained.RewardEvery };
        int students = 0;
        transfer.EpisodeCompleted += _ => students++;
        var data = SparseTasks.LinearRegression(ml, other, 200, rowSeed: 1);
        var model = ml.Regression.Trainers.AdaptiveLoss(Linear(o => o.Loss = transfer)).Fit(data);
        Assert.AreEqual(1, students, "no controller-training episodes with a pretrained controller");
        Assert.IsNull(model.LearnedLoss, "a frozen controller is not retrained");
        Assert.IsLessThan(3.0, ml.Regression.Evaluate(model.Transform(data)).MeanSquaredError);

        // Trained to choose between the task loss and 0.01 x ||W||_1: applying it with another strength is refused.
        var mismatched = new ScheduleLossOptions { PretrainedController = controller, L1Strength = 0.02 };
        var error = Assert.Throws<ArgumentException>(() => ml.Regression.Trainers.AdaptiveLoss(Linear(o => o.Loss = mismatched)).Fit(data));
        StringAssert.Contains(error.Message, "L1 penalty (x 0.01)");
        StringAssert.Contains(error.Message, "L1Strength");

        // It learned with a state refreshed every 4 steps: applying it at another cadence is refused too.
        var otherCadence = new ScheduleLossOptions { PretrainedController = controller, RewardEvery = 20 };
        error = Assert.Throws<ArgumentException>(() => ml.Regression.Trainers.AdaptiveLoss(Linear(o => o.Loss = otherCadence)).Fit(data));
        StringAssert.Contains(error.Message, "RewardEvery 4");
    }

    [TestMethod]
    public void BalancedChoicesKeepEachCountWithinKMinusOneOfItsAccumulatedProbability()
    {
        var random = new Random(7);
        var balanced = new BalancedChoices(3);
        var counts = new int[3];
        var sums = new double[3];
        for (int t = 0; t < 500; t++)
        {
            var raw = new[] { random.NextDouble(), random.NextDouble() * 2, random.NextDouble() * 0.2 };
            var p = raw.Select(x => (float)(x / raw.Sum())).ToArray();
            counts[balanced.Next(p)]++;
            for (int j = 0; j < 3; j++)
            {
                sums[j] += p[j];
                Assert.IsLessThan(2.0, Math.Abs(counts[j] - sums[j]), $"step {t}, choice {j}: {counts[j]} choices for {sums[j]:F2} accumulated probability");
            }
        }
        var even = new BalancedChoices(2);
        CollectionAssert.AreEqual(new[] { 0, 1, 0, 1, 0, 1 }, Enumerable.Range(0, 6).Select(_ => even.Next([0.5f, 0.5f])).ToArray());
        Assert.ThrowsExactly<ArgumentException>(() => even.Next([0.5f, float.NaN]));
        Assert.ThrowsExactly<ArgumentException>(() => even.Next([1f]));
    }

    [TestMethod]
    public void BalancedFrozenChoicesGiveThePolicyMixWithoutSamplingNoise()
    {
        var ml = new MLContext(seed: 1);
        var data = SparseTasks.LinearRegression(ml, Sparse, 200, rowSeed: 6);
        // A huge temperature makes pi(. | s_t) = (1/2, 1/2) in every state.
        using var coin = new ScheduleController(ScheduleLossOptions.StateSize(2), 2, temperature: 1e6);
        double L1Share(ScheduleChoiceRendering rendering)
        {
            var loss = new ScheduleLossOptions { PretrainedController = coin, FrozenChoices = rendering };
            double share = double.NaN;
            loss.EpisodeCompleted += r => share = r.ChoiceShares[1];
            ml.Regression.Trainers.AdaptiveLoss(Linear(o => o.Loss = loss)).Fit(data).Dispose();
            return share;
        }
        double balanced = L1Share(ScheduleChoiceRendering.Balanced), sampled = L1Share(ScheduleChoiceRendering.Sample);
        int steps = 150 / 16 * Linear().NumberOfEpochs;   // lower bound on the steps of the run (150 training rows, batches of 16)
        Assert.IsLessThanOrEqualTo(1.0 / steps, Math.Abs(balanced - 0.5), $"balanced L1 share {balanced}");
        Assert.IsGreaterThan(1.0 / steps, Math.Abs(sampled - 0.5), $"sampled L1 share {sampled} (coin flips scatter)");
    }

    [TestMethod]
    public void LargerL1LambdaGivesSmallerWeights()
    {
        var ml = new MLContext(seed: 1);
        var data = SparseTasks.LinearRegression(ml, Sparse, 200, rowSeed: 4);
        double WeightNorm(double lambda)
        {
            var model = ml.Regression.Trainers.AdaptiveLoss(Linear(o => { o.Loss = new L1RegularizedLossOptions { Lambda = lambda }; o.ValidationFraction = 0; })).Fit(data);
            using var l1 = ScheduleObjective.WeightL1(model.Scorer.Student);
            return l1.item<float>();
        }
        double free = WeightNorm(0), penalised = WeightNorm(0.3);
        Assert.IsLessThan(free * 0.8, penalised, $"||W||_1 without L1 {free}, with lambda 0.3 {penalised}");
    }

    [TestMethod]
    public void BadScheduleOptionsGiveClearErrors()
    {
        var ml = new MLContext(seed: 1);
        var data = SparseTasks.LinearRegression(ml, Sparse, 60, rowSeed: 5);
        ArgumentException Fails(ScheduleLossOptions loss, double validationFraction = 0.25) =>
            Assert.Throws<ArgumentException>(() => ml.Regression.Trainers.AdaptiveLoss(Linear(o => { o.Loss = loss; o.ValidationFraction = validationFraction; })).Fit(data));

        StringAssert.Contains(Fails(new ScheduleLossOptions { Objectives = [] }).Message, "Objectives is empty");
        StringAssert.Contains(Fails(new ScheduleLossOptions { Objectives = [ScheduleObjective.TaskLoss] }).Message, "Objectives");
        StringAssert.Contains(Fails(new ScheduleLossOptions { RewardEvery = 0 }).Message, "RewardEvery");
        StringAssert.Contains(Fails(new ScheduleLossOptions { L1Strength = -1 }).Message, "L1Strength");
        StringAssert.Contains(Fails(new ScheduleLossOptions { RewardDiscount = 1.5 }).Message, "RewardDiscount");
        StringAssert.Contains(Fails(new ScheduleLossOptions { EpisodesPerUpdate = 0 }).Message, "EpisodesPerUpdate");
        StringAssert.Contains(Fails(new ScheduleLossOptions { TeacherEpisodes = 0 }).Message, "never learn");
        StringAssert.Contains(Fails(new ScheduleLossOptions { EntropyBonus = -0.1 }).Message, "EntropyBonus");
        StringAssert.Contains(Fails(new ScheduleLossOptions { FrozenChoices = (ScheduleChoiceRendering)7 }).Message, "FrozenChoices");
        StringAssert.Contains(Fails(new ScheduleLossOptions(), validationFraction: 0).Message, "ValidationFraction");
        using var threeWay = new ScheduleController(ScheduleLossOptions.StateSize(3), 3);
        StringAssert.Contains(Fails(new ScheduleLossOptions { PretrainedController = threeWay }).Message, "PretrainedController");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ScheduleObjective.L1Penalty(0));
    }
}
