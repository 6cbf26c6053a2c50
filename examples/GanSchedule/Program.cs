using System.Diagnostics;
using System.Globalization;
using AutoLoss;
using AutoLoss.Core.Teaching.Schedules;
using AutoLoss.ML.Datasets;
using GanSchedule;

// A GAN on the embedded digits, with three ways to decide, step by step, whether the discriminator or the generator
// takes the next optimiser step: fixed 1:1, fixed 5:1, and AutoLoss's learned schedule controller (trained by
// REINFORCE over a few GAN runs, then frozen for a final run). Every schedule's final run gets the same number of
// optimiser steps; samples are scored by an AdaptiveLoss digits classifier and saved as PNG grids.
int steps = IntOption("--steps", 4000);
int episodes = IntOption("--episodes", 2);
int seed = IntOption("--seed", 1);
double learningRate = double.Parse(StringOption("--learning-rate", "0.001"), CultureInfo.InvariantCulture);
string outDir = StringOption("--out", "gan-output");
Directory.CreateDirectory(outDir);

var digits = Digits.LoadArrays();
var trainImages = digits.GatherFeatures(digits.TrainIndices);
int trainCount = digits.TrainIndices.Length;
var quality = SampleQuality.Train(seed);
var realScore = quality.Measure(digits.GatherFeatures(digits.TestIndices), 1000);
Console.WriteLine($"Real test digits: inception-style score {realScore.Score:F2}, {realScore.ClassesCovered} of 10 classes.");

var results = new List<(string Name, int DSteps, int GSteps, double Score, int Classes, double Seconds)>();
foreach (var schedule in new[] { new FixedSchedule(1), new FixedSchedule(5) })
{
    var clock = Stopwatch.StartNew();
    using var gan = new Gan(trainImages, trainCount, seed, learningRate);
    int d = 0, g = 0;
    for (int step = 0; step < steps; step++)
    {
        if (schedule.NextIsDiscriminator()) { gan.StepDiscriminator(); d++; }
        else { gan.StepGenerator(); g++; }
    }
    results.Add(Report(schedule.Name, gan, d, g, clock.Elapsed.TotalSeconds));
}

// The learned schedule: the authors' GAN settings (temperature 1, Adam 0.02), rewards every 200 steps.
TorchSharp.torch.random.manual_seed(seed);
using var controller = new ScheduleController(stateSize: 4, choices: 2, hiddenSize: 16, temperature: 1, choiceNames: ["discriminator", "generator"])
{
    RewardEvery = 200,
};
controller.EnableLearning(0.02);
var learned = new LearnedSchedule(controller, seed);
var learnClock = Stopwatch.StartNew();
for (int episode = 0; episode < episodes; episode++)
{
    using var gan = new Gan(trainImages, trainCount, seed + 100 * (episode + 1), learningRate);
    var (d, g) = RunLearned(gan, learn: true);
    double score = quality.Measure(gan.Sample(500, seed + 1), 500).Score;
    Console.WriteLine($"controller episode {episode + 1} of {episodes}: {d} D / {g} G steps, score {score:F2}, {controller.Updates} controller updates.");
}
controller.Save(Path.Combine(outDir, "gan-controller.bin"));
{
    var clock = Stopwatch.StartNew();
    using var gan = new Gan(trainImages, trainCount, seed, learningRate);
    var (d, g) = RunLearned(gan, learn: false);
    results.Add(Report("AutoLoss controller", gan, d, g, clock.Elapsed.TotalSeconds));
}

Console.WriteLine();
Console.WriteLine($"| schedule | D steps | G steps | inception-style score (max 10; real digits {realScore.Score:F2}) | classes covered | seconds |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
foreach (var r in results)
    Console.WriteLine($"| {r.Name} | {r.DSteps} | {r.GSteps} | {r.Score:F2} | {r.Classes} | {r.Seconds:F1} |");
Console.WriteLine($"Controller learning: {episodes} GAN runs of {steps} steps, {learnClock.Elapsed.TotalSeconds:F0} s in all. Sample grids: {Path.GetFullPath(outDir)}/samples-*.png");
return 0;

(int D, int G) RunLearned(Gan gan, bool learn)
{
    learned.Begin(learn ? quality.Measure(gan.Sample(200, seed + 7), 200).Score : 1);
    int d = 0, g = 0;
    for (int step = 0; step < steps; step++)
    {
        bool discriminator = learned.NextIsDiscriminator(step / (double)steps);
        learned.Observe(discriminator, discriminator ? gan.StepDiscriminator() : gan.StepGenerator());
        if (discriminator) d++; else g++;
        if ((step + 1) % learned.RewardEvery == 0)
            learned.EndSegment(learn ? quality.Measure(gan.Sample(200, seed + 7), 200).Score : null);   // frozen: no scoring needed
    }
    if (learn) controller.EndEpisode();
    return (d, g);
}

(string, int, int, double, int, double) Report(string name, Gan gan, int d, int g, double seconds)
{
    var samples = gan.Sample(1000, seed + 1);
    var (score, classes) = quality.Measure(samples, 1000);
    string file = Path.Combine(outDir, $"samples-{name.ToLowerInvariant().Replace(' ', '-').Replace(":", "to")}.png");
    PngGrid.Write(file, samples, 10, 10);
    Console.WriteLine($"{name}: {d} discriminator and {g} generator steps, score {score:F2}, {classes} classes, {seconds:F1} s -> {file}");
    return (name, d, g, score, classes, seconds);
}

int IntOption(string name, int fallback) => int.Parse(StringOption(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

string StringOption(string name, string fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}
