using System.Globalization;

namespace AutoLoss;

/// <summary>
/// Reads the text of a loss expression: <c>expr := term (('+' | '-') term)*</c>, <c>term := unary (('*' | '/') unary)*</c>,
/// <c>unary := '-' number | '-' unary | primary</c>, <c>primary := number | p | z | y | name '(' expr [',' expr] ')' | '(' expr ')'</c>,
/// where name is any operator of <see cref="ExpressionOperators"/> (so <c>add(p, y)</c> and <c>p + y</c> are the same tree).
/// A minus directly before a number makes a negative constant.
/// </summary>
internal sealed class ExpressionParser
{
    private readonly string _text;
    private int _position;

    private ExpressionParser(string text) => _text = text;

    public static LossExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new ExpressionParser(text);
        var expression = parser.Expression();
        parser.SkipSpaces();
        if (parser._position < text.Length) throw parser.Error($"unexpected '{text[parser._position]}'");
        return expression;
    }

    private LossExpression Expression() => LeftAssociative(Term, ('+', ExpressionOperators.Add), ('-', ExpressionOperators.Sub));

    private LossExpression Term() => LeftAssociative(Unary, ('*', ExpressionOperators.Mul), ('/', ExpressionOperators.Div));

    /// <summary>operand (symbol operand)*, folded from the left: a - b - c is (a - b) - c.</summary>
    private LossExpression LeftAssociative(Func<LossExpression> operand, params (char Symbol, ExpressionOperator Operator)[] operators)
    {
        var left = operand();
        while (true)
        {
            var match = operators.FirstOrDefault(o => TryTake(o.Symbol));
            if (match.Operator is null) return left;
            left = LossExpression.Apply(match.Operator, left, operand());
        }
    }

    private LossExpression Unary()
    {
        if (!TryTake('-')) return Primary();
        SkipSpaces();
        if (_position < _text.Length && (char.IsDigit(_text[_position]) || _text[_position] == '.'))
            return LossExpression.Constant(-Number());
        return LossExpression.Apply(ExpressionOperators.Neg, Unary());
    }

    private LossExpression Primary()
    {
        SkipSpaces();
        if (_position >= _text.Length) throw Error("the expression ends where an operand was expected");
        char c = _text[_position];
        if (char.IsDigit(c) || c == '.') return LossExpression.Constant(Number());
        if (TryTake('('))
        {
            var inner = Expression();
            Expect(')');
            return inner;
        }
        if (!char.IsLetter(c)) throw Error($"unexpected '{c}' where an operand was expected");
        int start = _position;
        while (_position < _text.Length && char.IsLetterOrDigit(_text[_position])) _position++;
        string name = _text[start.._position];
        var variable = LossExpression.Variables.FirstOrDefault(v => v.Name == name);
        if (variable is not null) return variable;
        var op = ExpressionOperators.Find(name)
            ?? throw Error($"unknown name '{name}' (variables: p, z, y; operators: {string.Join(", ", ExpressionOperators.All.Select(o => o.Name))})", start);
        Expect('(');
        var operands = new LossExpression[op.Arity];
        for (int i = 0; i < op.Arity; i++)
        {
            if (i > 0) Expect(',');
            operands[i] = Expression();
        }
        Expect(')');
        return LossExpression.Apply(op, operands);
    }

    private double Number()
    {
        int start = _position;
        while (_position < _text.Length && (char.IsDigit(_text[_position]) || _text[_position] == '.')) _position++;
        if (_position < _text.Length && (_text[_position] == 'e' || _text[_position] == 'E'))
        {
            _position++;
            if (_position < _text.Length && (_text[_position] == '+' || _text[_position] == '-')) _position++;
            while (_position < _text.Length && char.IsDigit(_text[_position])) _position++;
        }
        if (!double.TryParse(_text.AsSpan(start, _position - start), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            throw Error($"'{_text[start.._position]}' is not a finite number", start);
        return value;
    }

    private bool TryTake(char c)
    {
        SkipSpaces();
        if (_position < _text.Length && _text[_position] == c) { _position++; return true; }
        return false;
    }

    private void Expect(char c)
    {
        if (!TryTake(c)) throw Error(_position < _text.Length ? $"expected '{c}' but found '{_text[_position]}'" : $"expected '{c}' but the expression ends");
    }

    private void SkipSpaces()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position])) _position++;
    }

    private FormatException Error(string what, int? at = null) =>
        new($"The loss expression \"{_text}\" cannot be read: {what} at position {(at ?? _position) + 1}. " +
            "Write an expression over p, z and y with + - * /, numbers and the operators abs, square, sqrt, log, exp, tanh, min, max, e.g. -(y * log(p)).");
}
