namespace ControlPanel.Web.Components.Charts;

/// <summary>The options every time chart shares: a UTC datetime axis with titles, zoom and pan, and a shared tooltip.</summary>
public static class ApexOptions
{
    /// <summary>How a tooltip names its time: "minute" (2026-12-07 14:05 UTC), "hour" or "day" (2026-12-07 (UTC)).</summary>
    public enum TimeUnit { Minute, Hour, Day }

    /// <param name="xTitle">The time axis' title with its unit, e.g. "Day (UTC)".</param>
    /// <param name="yTitle">The value axis' title with its unit, e.g. "Calls per day".</param>
    /// <param name="unit">What one bar or point stands for.</param>
    /// <param name="stacked">Bars by outcome on top of each other; for counts the tooltip then adds a total.</param>
    /// <param name="valueFormat">The module's formatter for values: "number" or "percent".</param>
    /// <param name="yMax">A fixed top (100 for rates); null lets the chart pick round numbers.</param>
    /// <param name="annotations">Horizontal lines (quotas), or null.</param>
    /// <param name="extra">A line per point the tooltip adds (e.g. "3 attempts"), or null.</param>
    public static object Time(string xTitle, string yTitle, TimeUnit unit, bool stacked = true, string valueFormat = "number",
        double? yMax = null, IReadOnlyList<object>? annotations = null, IReadOnlyList<string>? extra = null) => new
        {
            chart = new
            {
                stacked,
                animations = new { enabled = false },
                // Zoom by dragging across the time axis; pan and reset from the toolbar.
                zoom = new { enabled = true, type = "x", autoScaleYaxis = !stacked },
                toolbar = new
                {
                    show = true,
                    autoSelected = "zoom",
                    tools = new { download = false, selection = false, zoom = true, zoomin = true, zoomout = true, pan = true, reset = true },
                },
                fontFamily = "Roboto, Segoe UI, Helvetica Neue, Arial, sans-serif",
            },
            plotOptions = new { bar = new { columnWidth = "85%" } },
            dataLabels = new { enabled = false },
            stroke = new { width = stacked ? 0 : 2, curve = "straight" },
            markers = new { size = stacked ? 0 : 3 },
            xaxis = new
            {
                type = "datetime",
                title = new { text = xTitle },
                labels = new
                {
                    datetimeUTC = true,
                    hideOverlappingLabels = true,
                    datetimeFormatter = new { year = "yyyy", month = "MMM yyyy", day = "MMM dd", hour = "HH:mm", minute = "HH:mm" },
                },
                tooltip = new { enabled = false },
            },
            yaxis = new
            {
                title = new { text = yTitle },
                min = 0,
                max = yMax,
                forceNiceScale = yMax is null,
                tickAmount = yMax is null ? (int?)null : 4,
                labels = new { formatter = valueFormat == "percent" ? "percentAxis" : "compact" },
            },
            tooltip = new
            {
                shared = true,
                intersect = false,
                custom = new { tooltip = true, time = unit.ToString().ToLowerInvariant(), value = valueFormat, total = stacked && valueFormat == "number", extra },
            },
            legend = new { position = "top", horizontalAlign = "left", showForSingleSeries = true },
            annotations = annotations is null ? null : new { yaxis = annotations },
        };

    /// <summary>A horizontal line across the chart at <paramref name="y"/>, labelled (a quota).</summary>
    public static object Line(double y, string label, SeriesColour colour) => new
    {
        y,
        borderColor = colour,
        strokeDashArray = 6,
        label = new { text = label, position = "left", textAnchor = "start", borderColor = "transparent", style = new { color = "#fff", background = colour } },
    };
}
