using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoLoss;

/// <summary>Writes a <see cref="LossExpression"/> as its text, so searches over expressions store and ship candidates as JSON.</summary>
public sealed class LossExpressionJsonConverter : JsonConverter<LossExpression>
{
    /// <inheritdoc />
    public override bool CanConvert(Type typeToConvert) => typeof(LossExpression).IsAssignableFrom(typeToConvert);

    /// <inheritdoc />
    public override LossExpression Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string text = reader.GetString() ?? throw new JsonException("A loss expression is null.");
        try { return LossExpression.Parse(text); }
        catch (FormatException e) { throw new JsonException(e.Message, e); }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, LossExpression value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
