namespace AutoLoss.Core.Search.LossEvolution;

/// <summary>The genetic operators on expression trees: subtree crossover and three kinds of mutation.</summary>
internal static class ExpressionVariation
{
    /// <summary>A copy of <paramref name="receiver"/> with a random subtree replaced by a random subtree of <paramref name="donor"/>.</summary>
    public static LossExpression Crossover(LossExpression receiver, LossExpression donor, Random random)
    {
        var graft = donor.Nodes().ElementAt(random.Next(donor.Size));
        return receiver.ReplaceAt(random.Next(receiver.Size), graft);
    }

    /// <summary>A random change at a random node: a new random subtree (height up to 3), another operator of the same
    /// arity or another leaf (point mutation), or the node wrapped in a new unary operator (insertion).</summary>
    public static LossExpression Mutate(LossExpression tree, Random random)
    {
        int index = random.Next(tree.Size);
        var node = tree.Nodes().ElementAt(index);
        switch (random.Next(3))
        {
            case 0:
                return tree.ReplaceAt(index, ExpressionSearchSpace.Grow(random, 3));
            case 1 when node is ExpressionOperation operation:
                var peers = ExpressionOperators.All.Where(o => o.Arity == operation.Operator.Arity && o != operation.Operator).ToArray();
                return tree.ReplaceAt(index, LossExpression.Apply(peers[random.Next(peers.Length)], operation.Children.ToArray()));
            case 1:
                return tree.ReplaceAt(index, ExpressionSearchSpace.Leaf(random));
            default:
                var unary = ExpressionOperators.All.Where(o => o.Arity == 1).ToArray();
                return tree.ReplaceAt(index, LossExpression.Apply(unary[random.Next(unary.Length)], node));
        }
    }
}
