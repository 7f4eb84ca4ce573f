using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ControlPanel.Web.Api;

/// <summary>
/// Every time the API answers is UTC and says so: ISO 8601 with <c>Z</c>, as webhook bodies write it. Times read back
/// from the database come without a kind (SQLite stores no zone), which System.Text.Json would write with no zone at all.
/// </summary>
public sealed class UtcDateTimeJsonConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    /// <summary>Formats on the stack: the key-validation answers (verify, session) are written through it on every call.</summary>
    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        // "yyyy-MM-ddTHH:mm:ss.fffffffZ" is 28 characters at most.
        Span<char> text = stackalloc char[32];
        utc.TryFormat(text, out var written, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
        writer.WriteStringValue(text[..written]);
    }
}
