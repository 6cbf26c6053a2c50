using System.Globalization;
using System.Text;

namespace AutoLoss;

/// <summary>
/// Writes a <see cref="LossExpression"/> as text that <see cref="ExpressionParser"/> reads back into the same tree:
/// + - * / infix (left-associative, with the parentheses precedence needs), unary minus, function calls for the other
/// operators, constants in round-trip form (negative ones in parentheses, so -(1) and (-1) stay different trees).
/// </summary>
internal static class ExpressionPrinter
{
    public static string Print(LossExpression expression)
    {
        var text = new StringBuilder();
        Write(expression, text);
        return text.ToString();
    }

    private static void Write(LossExpression node, StringBuilder text)
    {
        switch (node)
        {
            case ExpressionVariable variable:
                text.Append(variable.Name);
                break;
            case ExpressionConstant constant:
                text.Append(constant.Value.ToString("R", CultureInfo.InvariantCulture));
                break;
            case ExpressionOperation { Operator.IsInfix: true } infix:
                WriteOperand(infix.Children[0], text, needsParentheses: Binds(infix.Children[0]) < infix.Operator.Precedence);
                text.Append(' ').Append(infix.Operator.Symbol).Append(' ');
                var right = infix.Children[1];
                WriteOperand(right, text, needsParentheses: Binds(right) <= infix.Operator.Precedence || IsNegation(right));
                break;
            case ExpressionOperation negation when IsNegation(negation):
                text.Append('-');
                var operand = negation.Children[0];
                WriteOperand(operand, text, needsParentheses: Binds(operand) < negation.Operator.Precedence || operand is ExpressionConstant || IsNegation(operand));
                break;
            case ExpressionOperation call:
                text.Append(call.Operator.Name).Append('(');
                for (int i = 0; i < call.Children.Count; i++)
                {
                    if (i > 0) text.Append(", ");
                    Write(call.Children[i], text);
                }
                text.Append(')');
                break;
            default:
                throw new InvalidOperationException($"Unknown expression node {node.GetType().Name}.");
        }
    }

    /// <summary>How strongly a node binds as an operand: infix operators their precedence, everything else tighter.</summary>
    private static int Binds(LossExpression node) => node is ExpressionOperation { Operator.IsInfix: true } op ? op.Operator.Precedence : int.MaxValue;

    private static bool IsNegation(LossExpression node) => node is ExpressionOperation { Operator.Arity: 1, Operator.Symbol: "-" };

    private static void WriteOperand(LossExpression operand, StringBuilder text, bool needsParentheses)
    {
        needsParentheses |= operand is ExpressionConstant c && double.IsNegative(c.Value);
        if (needsParentheses) text.Append('(');
        Write(operand, text);
        if (needsParentheses) text.Append(')');
    }
}
