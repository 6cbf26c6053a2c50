// Usage: ScoringHost <model.zip> <data.tsv> <featureCount> <scores.txt>
//        ScoringHost images <model.zip> <paths.txt> <predictions.txt>
// The first form reads tab-separated rows (Label, then the features), scores them with the saved pipeline, and writes
// each row's Score (a classifier's vector or a regression value) as the bit patterns of its floats (exact comparison).
// The second scores image files (one path per line) one at a time through a PredictionEngine and writes, per image, the
// predicted label and the Score's bit patterns.
using AutoLoss.ML.ScoringHost;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length == 4 && args[0] == "images")
    return ImageScoring.Run(args[1], args[2], args[3]);
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: ScoringHost <model.zip> <data.tsv> <featureCount> <scores.txt> | ScoringHost images <model.zip> <paths.txt> <predictions.txt>");
    return 2;
}
var ml = new MLContext();
int features = int.Parse(args[2]);
var model = ml.Model.LoadWithAutoLoss(args[0], out _);
var data = ml.Data.LoadFromTextFile(args[1], [
    new TextLoader.Column("Label", DataKind.Single, 0),
    new TextLoader.Column("Features", DataKind.Single, 1, features),
], separatorChar: '\t');
var scored = model.Transform(data);
var scores = scored.Schema["Score"].Type is VectorDataViewType
    ? scored.GetColumn<float[]>("Score")
    : scored.GetColumn<float>("Score").Select(v => new[] { v });
using var writer = new StreamWriter(args[3]);
foreach (var score in scores)
    writer.WriteLine(string.Join(' ', score.Select(BitConverter.SingleToInt32Bits)));
return 0;
