using ControlPanel.Domain.Usage;

namespace ControlPanel.Web.Components.Charts;

/// <summary>A series' colour in the light and the dark theme; the chart module picks the one of the page's theme.</summary>
public readonly record struct SeriesColour(string Light, string Dark);

/// <summary>
/// The charts' colours: the Okabe–Ito palette, told apart by readers with any common colour-vision deficiency. Where
/// a hue is too pale on the light theme's white (orange, reddish purple, sky blue, grey), the light theme takes a darker shade of it, so
/// every series has at least 3:1 contrast against the surface in both themes (WCAG's non-text contrast; see ChartPaletteTests).
/// </summary>
public static class ChartPalette
{
    public static readonly SeriesColour BluishGreen = new("#009E73", "#009E73");
    public static readonly SeriesColour Orange = new("#B37A00", "#E69F00");
    public static readonly SeriesColour Vermillion = new("#D55E00", "#D55E00");
    public static readonly SeriesColour ReddishPurple = new("#B8588F", "#CC79A7");
    public static readonly SeriesColour Blue = new("#0072B2", "#56B4E9");
    public static readonly SeriesColour Grey = new("#777777", "#999999");

    public static IReadOnlyList<SeriesColour> All { get; } = [BluishGreen, Orange, Vermillion, ReddishPurple, Blue, Grey];

    private static readonly IReadOnlyDictionary<string, SeriesColour> ByName = new Dictionary<string, SeriesColour>
    {
        [nameof(BluishGreen)] = BluishGreen,
        [nameof(Orange)] = Orange,
        [nameof(Vermillion)] = Vermillion,
        [nameof(ReddishPurple)] = ReddishPurple,
        [nameof(Blue)] = Blue,
        [nameof(Grey)] = Grey,
    };

    /// <summary>The colour of each outcome (named in its definition), the same in every chart.</summary>
    public static SeriesColour Of(UsageOutcome outcome) =>
        ByName.TryGetValue(outcome.Definition().Colour, out var colour)
            ? colour
            : throw new InvalidOperationException($"The usage outcome {outcome} names the colour {outcome.Definition().Colour}, which the chart palette does not have.");
}
