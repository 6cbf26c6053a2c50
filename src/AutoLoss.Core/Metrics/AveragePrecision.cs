namespace AutoLoss.Core.Metrics;

/// <summary>The area under the precision-recall curve as average precision, the metric ALA aligns binary losses to.</summary>
public static class AveragePrecision
{
    /// <summary>Average precision: the mean, over the positive rows, of the precision at each positive's rank
    /// (rows sorted by descending score; tied scores form one threshold, so the result does not depend on row
    /// order). 0 when there is no positive row.</summary>
    public static double Compute(float[] scores, bool[] positives)
    {
        int n = scores.Length, totalPositives = positives.Count(b => b);
        if (totalPositives == 0) return 0;
        var order = Enumerable.Range(0, n).OrderByDescending(i => scores[i]).ToArray();
        double sum = 0;
        int seen = 0, seenPositives = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            int groupPositives = 0;
            while (end < n && scores[order[end]] == scores[order[start]])
            {
                if (positives[order[end]]) groupPositives++;
                end++;
            }
            seen += end - start;
            seenPositives += groupPositives;
            sum += groupPositives * (seenPositives / (double)seen); // recall step x precision at this threshold
            start = end;
        }
        return sum / totalPositives;
    }
}
