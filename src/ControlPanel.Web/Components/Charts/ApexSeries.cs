using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ControlPanel.Web.Components.Charts;

/// <summary>One series of an <see cref="ApexChart"/>: its name, its points and, if it differs from the palette's next, its colour.</summary>
public sealed record ApexSeries(string Name, IReadOnlyList<ApexPoint> Data, SeriesColour? Color = null, string? Type = null)
{
    /// <summary>Plain values, for donut and radial charts (their categories are the chart's labels).</summary>
    public IReadOnlyList<double>? Values { get; init; }
}

/// <summary>A point: X is the time (milliseconds since 1970, UTC) on a datetime axis or a category name; a null Y is a gap.</summary>
public sealed record ApexPoint(object X, double? Y)
{
    public static ApexPoint At(DateTime utc, double? y) => new(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds(), y);
}

/// <summary>The JSON the chart module receives: the options (with the chart's type and height) and the series.</summary>
public static class ApexJson
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(string type, string height, object? options, IReadOnlyList<ApexSeries> series, IReadOnlyList<string>? labels)
    {
        var root = options is null ? new JsonObject() : JsonSerializer.SerializeToNode(options, options.GetType(), Web)!.AsObject();
        var chart = root["chart"] as JsonObject ?? new JsonObject();
        root["chart"] = chart;
        chart["type"] = type;
        chart["height"] = height;
        if (labels is not null) root["labels"] = JsonSerializer.SerializeToNode(labels, Web);
        JsonNode data = series.Count > 0 && series.All(s => s.Values is not null)
            // Donut and radial charts: one number per label.
            ? JsonSerializer.SerializeToNode(series[0].Values, Web)!
            : new JsonArray([.. series.Select(Series)]);
        return new JsonObject { ["options"] = root, ["series"] = data }.ToJsonString(Web);
    }

    private static JsonObject Series(ApexSeries series)
    {
        var node = new JsonObject { ["name"] = series.Name };
        if (series.Type is not null) node["type"] = series.Type;
        if (series.Color is { } colour) node["color"] = new JsonObject { ["light"] = colour.Light, ["dark"] = colour.Dark };
        // A null Y stays in the JSON: it is a gap (nothing happened then), not a zero.
        node["data"] = new JsonArray([.. series.Data.Select(p => new JsonObject { ["x"] = JsonSerializer.SerializeToNode(p.X, Web), ["y"] = p.Y })]);
        return node;
    }
}
