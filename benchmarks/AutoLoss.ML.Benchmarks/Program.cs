using AutoLoss;
using AutoLoss.Core.Training;
using AutoLoss.ML.Benchmarks;

const string Usage = """
    AutoLoss.ML benchmarks

    dotnet run -c Release --project benchmarks/AutoLoss.ML.Benchmarks -- <command> [options]

    accuracy   Test error of several methods over seeds on a fixed split.
               --task digits|digits-images         task (default digits; digits-images: LeNet-5 student;
                      |digits-noise20|40|60        digits with 20/40/60% symmetric noise on the training labels;
                      |clusters-noise40            generated 5-class clusters, 40% noise on the training labels)
               --searched-losses DIR               where methods autoloss-zero and taylor find loss-search-<method>.json
               --augment-shift S                   random image shifts of up to S pixels (image students)
               --schedule constant|step|cosine     learning-rate schedule of every AdaptiveLoss method
               --methods ce,parametric,lightgbm,lbfgs   comma-separated method names
               --seeds N                           seeds 1..N (default 3); --first-seed S shifts them
               --epochs E                          student epochs (default 20)
               --batch-size B --learning-rate LR   student SGD settings (defaults 100, 0.1)
               --out DIR                           output folder (default benchmarks/results)
               --no-plot                           skip the PNG chart
               --verbose                           print the L2T-DLF teacher's progress lines
               --replace                           drop methods of an earlier DIR/accuracy-<task>.json
                                                   (by default they are kept and re-run methods replace theirs)
               writes DIR/accuracy-<task>.json, .md and .png

    l2t-dlf-report  L2T-DLF's dev-error curve vs. cross-entropy and its Phi_t over training (seed 1),
               and transfer of the learned teacher (frozen) to a narrower student (MLP 784-100-10)
               --seeds N (transfer seeds, default 3) --epochs E --out DIR
               writes DIR/l2t-dlf-report.json, .md, .png and the teacher DIR/l2t-dlf-teacher.bin

    schedule   AutoLoss's L1 experiments: a learned schedule (task loss vs. L1 penalty each step) against the
               fixed task + lambda x L1 for a grid of lambda, on generated sparse tasks, plus controller transfer
               --task l1-regression|l1-classification --seeds N --l1-strength L (0.1) --episodes E (128)
               --episodes-per-update G (8) --controller-lr R (0.05) --discount D (1) --reward-every S (10)
               --temperature T (2)
               --validation-rows V (validation rows drawn from the process; default: as many as the training
               rows; 0: hold out 20% of the training rows and refit) --only I,J (process indices) --out DIR
               writes DIR/schedule-<task>.json, .md and .png

    binary     AUCPR on imbalanced binary tasks (digit 9 vs. rest; generated Gaussians, 5% positives) for the
               AdaptiveLoss binary trainer with cross-entropy and ALA, and ML.NET's LightGbm and LbfgsLogisticRegression
               --tasks T1,T2 --methods ce,ala,lightgbm,lbfgs --seeds N --epochs E --out DIR
               writes DIR/binary.json and DIR/binary.md

    ala-report  ALA's validation-error curve vs. cross-entropy and its Phi_t decisions (seed 1), and transfer
               of the learned policy (frozen) to a narrower digits student and to a generated 5-class task
               --seeds N (transfer seeds, default 3) --epochs E --out DIR
               writes DIR/ala-report.json, .md, .png and the policy DIR/ala-policy.bin

    search     The search layer on MLP students: one random search run with trials one and two at a time, with
               and without median stopping (wall time, trials stopped, epochs trained, best architecture)
               --trials N (24) --epochs E (4) --train-rows R (4000) --seed S --out DIR
               writes DIR/search.json and DIR/search.md

    Every command also takes --threads N: libtorch intra-op threads (default: TorchSharp's, one per core).
    On a shared, busy machine --threads 1 gives far steadier timings (spinning OpenMP workers suffer most).

    bare-accuracy  Test error of the bare TorchSharp loop (same split, student, SGD, 20 epochs)
               --seeds N --epochs E

    speed      Training throughput vs. a bare TorchSharp loop, scoring throughput and latency,
               and peak memory of a streaming fit (in a child process).
               --out DIR (default benchmarks/results)  --epochs 5  --repeats 3
               --latency-calls 5000  --memory-rows 1000000  --skip-memory  --no-plot
               --student mlp|lenet (default mlp; lenet writes DIR/speed-lenet.*)
               writes DIR/speed.json, DIR/speed.md and DIR/speed-throughput.png

    loss-search  A loss search on proxy tasks cut from the digits' training rows (clean and 40% symmetric noise;
               fitness = mean validation accuracy after a short proxy run of MLP(500,300)); the test rows are never seen
               --method autoloss-zero|taylor        AutoLoss-Zero expression evolution, or CMA-ES over the Taylor family
               --population P (20) --generations G (8) --proxy-epochs E (10) --seed S --concurrent C (1) --out DIR
               --check "e1;e2"                      only print the proxy fitness of the given expressions
               writes DIR/loss-search-<method>.json (the SearchedLoss), .md and .png

    orleans    One random search over MLP students run in this process and on a local Orleans cluster of worker
               processes (trial-worker): identical results, wall times, and the overhead per trial
               --workers N (2) --trials T (12) --epochs E (20) --seed S --out DIR
               writes DIR/orleans.json and DIR/orleans.md

    nao        NAO against random search over an architecture space (same number of evaluated architectures, size
               limit = the default student's parameters): predictor pairwise accuracy, best-so-far curves, search cost,
               and the best architectures and the default student fully trained over seeds
               --task digits|teacher|... (any accuracy task; default digits) --space mlp|cnn (cnn: 28x28 images, against LeNet-5)
               --trials T (100) --seed-architectures S (40) --proxy-epochs E (5) --seeds N (5) --epochs E (20) --seed S --out DIR
               writes DIR/nao[-cnn][-task].json, .md and .png

    ctr        Click prediction on generated click logs: a DeepFM student with each candidate loss, their uniform mix and
               the learned per-example mixer, against ML.NET's FieldAwareFactorizationMachine and LightGbm; then the
               controller learned on the first process, frozen, on a second one
               --rows N (200000) --validation-rows V (20000) --test-rows T (50000) --seeds S (5) --epochs E (3)
               --batch-size B (512) --learning-rate LR (0.003, Adam) --weight-decay W (1e-4) --process P (1)
               --transfer-process Q (2) --methods ce,focal,squared,hinge,uniform-mix,mixer,ffm,lightgbm --out DIR
               --on-validation: score on the first process's validation rows only (to choose the budget)
               writes DIR/ctr.json, .md, .png and the learned controller DIR/ctr-controller.bin

    sparse     Training throughput and peak memory with sparse features (click logs hashed into 2^bits slots):
               the sparse-input student, and the same network on the densified vector where a dense batch fits
               --rows N (1000000) --bits B (20) --dense-bits D (14) --dense-rows R (100000) --out DIR
               writes DIR/sparse.json and .md (each fit in a fresh child process)

    metric     Metric learning on the digits with disjoint classes (0-4 -> 5-9, even -> odd): triplet and margin
               embeddings against raw pixels, Recall@1/2/4/8, MAP@R and 5-shot nearest-neighbour accuracy
               and margin + ALA (distance mixture, focal weighting) against their fixed Phi_0
               --seeds N (5) --epochs E (20) --steps-per-action K (20) --methods ... --splits ... --out DIR
               writes DIR/metric.json and .md

    ala-pretrain  One ALA policy learned over many runs of generated classification tasks (never an evaluation task),
               written to DIR/ala-pretrained-policy.bin for the accuracy benchmark's ala-pretrained method
               --runs R (24) --epochs E (10) --out DIR        writes DIR/ala-pretrain.json, .md and the policy

    misclassified  The digits-images LeNet-5 with cross-entropy (one seed), and a PNG of the test digits it gets wrong
               --epochs 30 --learning-rate 0.05 (cosine) --augment-shift 2 --seed 1 --count 16 --out DIR
               writes DIR/digits-images-misclassified.png
    """;

try
{
    if (args.Length > 0 && args[0] == "trial-worker") return OrleansBenchmark.Worker(args[1..]);
    var cl = CommandLine.Parse(args);
    if (cl.Verb is "help" or "")
    {
        Console.WriteLine(Usage);
        return cl.Verb == "help" ? 0 : 2;
    }
    TorchRuntime.EnsureLoaded();
    // --threads N (every command): libtorch intra-op threads; 0 keeps TorchSharp's default (one per core).
    int threads = cl.Int("threads", 0, min: 0);
    if (threads > 0) TorchSharp.torch.set_num_threads(threads);
    BenchmarkOptions.TorchThreads = threads;
    return cl.Verb switch
    {
        "accuracy" => AccuracyBenchmark.Run(cl),
        "speed" => SpeedBenchmark.Run(cl),
        "bare-accuracy" => BareAccuracy.Run(cl),
        "memory-child" => MemoryBenchmark.Child(cl),
        "profile-train" => ProfileTraining.Run(cl),
        "plot-accuracy" => AccuracyBenchmark.Replot(cl),
        "l2t-dlf-report" => L2tDlfReport.Run(cl),
        "search" => SearchBenchmark.Run(cl),
        "ala-report" => AlaReport.Run(cl),
        "binary" => BinaryBenchmark.Run(cl),
        "schedule" => ScheduleBenchmark.Run(cl),
        "misclassified" => MisclassifiedDigits.Run(cl),
        "loss-search" => LossSearchBenchmark.Run(cl),
        "orleans" => OrleansBenchmark.Run(cl),
        "nao" => NaoBenchmark.Run(cl),
        "ctr" => CtrBenchmark.Run(cl),
        "sparse" => SparseBenchmark.Run(cl),
        "metric" => MetricBenchmark.Run(cl),
        "ala-pretrain" => AlaPretrainBenchmark.Run(cl),
        "sparse-child" => SparseBenchmark.RunChild(cl),
        _ => throw new UsageException($"Unknown command '{cl.Verb}'."),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine();
    Console.Error.WriteLine(Usage);
    return 2;
}

namespace AutoLoss.ML.Benchmarks
{
    /// <summary>Options that apply to every command.</summary>
    internal static class BenchmarkOptions
    {
        /// <summary>The --threads value (0: TorchSharp's default); passed on to child processes.</summary>
        public static int TorchThreads { get; set; }
    }
}
