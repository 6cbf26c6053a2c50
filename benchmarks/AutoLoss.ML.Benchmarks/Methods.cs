using AutoLoss;
using AutoLoss.Core.Students;
using AutoLoss.Core.Teaching;
using AutoLoss.Core.Training;
using AutoLoss.ML.Trainers;
using Microsoft.ML;

namespace AutoLoss.ML.Benchmarks;

/// <summary>Settings shared by every method of one accuracy run (from the command line).</summary>
internal sealed record MethodSettings(int Epochs, int BatchSize, double LearningRate, int NumberOfClasses, Func<StudentSpec>? Student = null, ImageAugmentation? Augmentation = null,
    LearningRateSchedule Schedule = LearningRateSchedule.Constant, string SearchedLosses = "benchmarks/results");

/// <summary>
/// The methods the accuracy benchmark can compare. Each entry builds the complete estimator for one
/// run from the run's <see cref="MLContext"/> (created with <c>seed: s</c>, so the student's
/// initialisation and the shuffling follow the seed) and the seed itself. To add a method (for
/// example <c>l2t-dlf</c>, <c>ala</c> or <c>autoloss</c>), add one line to <see cref="Create"/>.
/// </summary>
internal static class Methods
{
    public static IReadOnlyDictionary<string, Func<MLContext, int, IEstimator<ITransformer>>> Create(MethodSettings s)
        => new Dictionary<string, Func<MLContext, int, IEstimator<ITransformer>>>(StringComparer.OrdinalIgnoreCase)
        {
            // The MLP 500-300 student with plain cross-entropy: the baseline every adaptive loss must beat.
            ["ce"] = (ml, _) => Student(ml, s, LossOptions.CrossEntropy()),

            // The same student and budget with cosine learning-rate annealing (shows the schedule's effect).
            ["ce-cosine"] = (ml, _) => Student(ml, s, LossOptions.CrossEntropy(), schedule: LearningRateSchedule.Cosine),

            // The fixed Phi-parametric loss -sigmoid(y^T Phi log p + b) with Phi = I and b = ln(C).
            // With Phi = I the score is log p_y, and an untrained student predicts p_y ~ 1/C, i.e.
            // log p_y ~ -ln(C). The bias ln(C) puts that starting point at the sigmoid's centre, where its
            // slope (1/4) is largest; with b = 0 the sigmoid would start at sigmoid(-ln C) ~ 0.09 for C = 10,
            // in its flat tail, and the first epochs would learn slowly.
            ["parametric"] = (ml, _) => Student(ml, s, LossOptions.Parametric(Smoothed(s.NumberOfClasses, 0f), MathF.Log(s.NumberOfClasses))),

            // The same family with Phi = I + 0.05 off the diagonal and the centring bias: L2T-DLF's default Phi_0,
            // held fixed (no teacher). Separates what the starting loss gives from what the teacher learns.
            ["parametric-smoothed"] = (ml, _) => Student(ml, s, LossOptions.Parametric(Smoothed(s.NumberOfClasses, 0.05f), CentringBias(s.NumberOfClasses, 0.05f))),

            // L2T-DLF with its default options: a teacher mu_theta(s_t) sets Phi_t, learned online by hypergradients
            // through T unrolled steps on 10% of the training rows held out as dev data; then RefitOnAllData trains a
            // fresh student on all rows with the learned teacher frozen.
            ["l2t-dlf"] = (ml, _) => Student(ml, s, L2tDlf(s.NumberOfClasses), validationFraction: 0.1, refit: true),

            // The same without the refit: the returned student is the one trained (with the teacher learning) on 90% of the rows.
            ["l2t-dlf-no-refit"] = (ml, _) => Student(ml, s, L2tDlf(s.NumberOfClasses), validationFraction: 0.1),

            // ALA with its default options: a pair-shared controller moves Phi by +-beta every K = 50 steps, rewarded by
            // the validation error's change, learning online from two child models (this student and one beside it)
            // on 10% of the training rows held out as validation data; then RefitOnAllData trains a fresh student on all
            // rows replaying the chosen Phi_t, so the held-out rows cost the returned student nothing.
            ["ala"] = (ml, _) => Student(ml, s, Ala(), validationFraction: 0.1, refit: true),

            // ALA with the paper's single-network controller (one network over the whole confusion matrix and Phi).
            ["ala-single"] = (ml, _) => Student(ml, s, new AutoLoss.AlaLossOptions { Policy = AutoLoss.AlaPolicyKind.SingleNetwork }, validationFraction: 0.1, refit: true),

            // ALA whose controller acts but never learns: an untrained pair-shared policy, frozen. Phi_t then random-walks
            // as the initial policy dictates (keep 0.8, +-beta 0.1 each), so the gap to `ala` is what learning theta adds.
            ["ala-untrained-policy"] = (ml, seed) => Student(ml, s, new AutoLoss.AlaLossOptions
            {
                PretrainedPolicy = UntrainedPolicy(s.NumberOfClasses, seed),
            }, validationFraction: 0.1, refit: true),

            // ALA with the global controller: two handles (the whole diagonal, the whole off-diagonal of Phi), so one reward
            // credits two actions; beta 0.02 lets 29 decisions reach +-0.58.
            ["ala-global"] = (ml, _) => Student(ml, s, new AutoLoss.AlaLossOptions { Policy = AutoLoss.AlaPolicyKind.Global, Beta = 0.02 }, validationFraction: 0.1, refit: true),

            // ALA acting with the policy `ala-pretrain` learned over generated tasks (DIR/ala-pretrained-policy.bin), frozen,
            // with the settings it was learned with (K = 10, beta = 0.01); 10% held out for its state, then a refit.
            ["ala-pretrained"] = (ml, _) => Student(ml, s, AlaPretrainBenchmark.Options(AutoLoss.AlaPolicyModel.Load(AlaPretrainBenchmark.PolicyPath(s.SearchedLosses)), learn: false),
                validationFraction: 0.1, refit: true),

            // The same without the refit: the returned student is the one trained on 90% of the rows.
            ["ala-no-refit"] = (ml, _) => Student(ml, s, Ala(), validationFraction: 0.1),


            // AutoLoss's schedule: a controller chooses, every step, between cross-entropy and an L1 penalty on the weights
            // (lambda 1e-4 x ||W||_1, summed over the student's ~550,000 weights), learned over 6 episodes of 5 epochs on
            // 10% held-out rows, then the final student (frozen controller) and a refit on all rows.
            ["autoloss"] = (ml, _) => Student(ml, s, new AutoLoss.ScheduleLossOptions
            {
                // Six episodes cannot feed the reward-to-go groups, so this method keeps per-segment rewards. Its committed
                // row was measured with the plain log-loss reward (the default before CalibratedLogLoss), kept here.
                L1Strength = 1e-4,
                TeacherEpisodes = 6,
                EpisodeEpochs = 5,
                RewardDiscount = 0,
                EpisodesPerUpdate = 1,
                ControllerLearningRate = 0.01,
                ClassificationReward = AutoLoss.ScheduleClassificationReward.LogLoss,
            },
                validationFraction: 0.1, refit: true),

            // Robust fixed losses for noisy labels, each with its paper's default setting.
            ["gce"] = (ml, _) => Student(ml, s, LossOptions.GeneralizedCrossEntropy()),
            ["sce"] = (ml, _) => Student(ml, s, LossOptions.SymmetricCrossEntropy()),
            ["nce-rce"] = (ml, _) => Student(ml, s, LossOptions.ActivePassive()),
            ["poly1"] = (ml, _) => Student(ml, s, LossOptions.Poly1()),
            ["label-smoothing"] = (ml, _) => Student(ml, s, LossOptions.LabelSmoothing()),

            // The losses the loss-search command found on the digits' training rows (loss-search-<method>.json in the
            // --searched-losses folder), applied frozen: no search happens here.
            ["autoloss-zero"] = (ml, _) => Student(ml, s, SearchedLoss.Load(Path.Combine(s.SearchedLosses, "loss-search-autoloss-zero.json")).ToLossOptions()),
            ["taylor"] = (ml, _) => Student(ml, s, SearchedLoss.Load(Path.Combine(s.SearchedLosses, "loss-search-taylor.json")).ToLossOptions()),

            // ML.NET's own trainers with their default settings: reference points outside the
            // TorchSharp student. Both are deterministic given the data but still run once per seed.
            ["lightgbm"] = (ml, _) => KeyedLabel(ml).Append(ml.MulticlassClassification.Trainers.LightGbm()),
            ["lbfgs"] = (ml, _) => KeyedLabel(ml).Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()),
        };

    /// <summary>The options of the <c>l2t-dlf</c> method (the defaults), a fresh instance per run.</summary>
    public static AutoLoss.L2tDlfLossOptions L2tDlf(int classes) => new();

    /// <summary>The options of the <c>ala</c> methods (the defaults), a fresh instance per run.</summary>
    public static AutoLoss.AlaLossOptions Ala() => new();

    /// <summary>A fresh pair-shared policy with ALA's default shape, seeded (the run keeps it frozen).</summary>
    private static AutoLoss.AlaPolicyModel UntrainedPolicy(int classes, int seed)
    {
        TorchSharp.torch.manual_seed(seed + 104_729);
        return new AutoLoss.AlaPolicyModel(AutoLoss.AlaPolicyKind.PairShared, classes, 32, 0.8);
    }

    /// <summary>b = ln C x row sum of Phi: the sigmoid's centre for a student predicting 1/C.</summary>
    private static float CentringBias(int n, float offDiagonal) => MathF.Log(n) * (1 + offDiagonal * (n - 1));

    /// <summary>The AdaptiveLoss trainer (the task's student, MLP 500-300 by default; SGD with momentum 0.9, CPU) with the
    /// given loss; its seed is drawn from the MLContext.</summary>
    public static IEstimator<ITransformer> Student(MLContext ml, MethodSettings s, LossOptions loss, StudentSpec? student = null,
        LearningRateSchedule? schedule = null, double validationFraction = 0, Action<EpochSummary>? progress = null, bool refit = false) =>
        KeyedLabel(ml).Append(ml.MulticlassClassification.Trainers.AdaptiveLoss(new AdaptiveLossMulticlassTrainer.Options
        {
            NumberOfEpochs = s.Epochs,
            BatchSize = s.BatchSize,
            LearningRate = s.LearningRate,
            Student = student ?? s.Student?.Invoke() ?? new MlpSpec { HiddenSizes = [500, 300] },
            Loss = loss,
            LearningRateSchedule = schedule ?? s.Schedule,
            ValidationFraction = validationFraction,
            RefitOnAllData = refit,
            Seed = null,
            Caching = DataCaching.Auto,
            Device = ComputeDevice.Cpu,
            Progress = progress,
            Augmentation = s.Augmentation,
        }));

    private static IEstimator<ITransformer> KeyedLabel(MLContext ml) => ml.Transforms.Conversion.MapValueToKey("Label");

    private static float[,] Smoothed(int n, float offDiagonal)
    {
        var phi = new float[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                phi[i, j] = i == j ? 1f : offDiagonal;
        return phi;
    }
}
