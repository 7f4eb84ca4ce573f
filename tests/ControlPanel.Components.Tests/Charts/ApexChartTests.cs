using System.Text.Json.Nodes;
using ControlPanel.Web.Components.Charts;
using ControlPanel.Web.Components.Layout;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Components.Tests.Charts;

/// <summary>
/// Our ApexChart component against bUnit's JS interop in strict mode: every call the component makes to its module is
/// set up here, so an unexpected call (a second create, a missing dispose) fails the test.
/// </summary>
public sealed class ApexChartTests : IAsyncLifetime
{
    private readonly BunitContext context = new();
    private BunitJSModuleInterop module = default!;

    private static readonly DateTime Nine = new(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);

    public Task InitializeAsync()
    {
        context.JSInterop.Mode = JSRuntimeMode.Strict;
        module = context.JSInterop.SetupModule(ApexChart.ModulePath);
        module.SetupVoid("create", _ => true).SetVoidResult();
        module.SetupVoid("update", _ => true).SetVoidResult();
        module.SetupVoid("dispose", _ => true).SetVoidResult();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    private static IReadOnlyList<ApexSeries> Calls(params double?[] values) =>
        [new("Allowed", values.Select((v, i) => ApexPoint.At(Nine.AddMinutes(i), v)).ToList(), ChartPalette.BluishGreen)];

    private IRenderedComponent<CascadingValue<bool>> RenderChart(IReadOnlyList<ApexSeries> series, bool dark = false) =>
        context.Render<CascadingValue<bool>>(Chart(series, dark));

    // The layout's cascade of light or dark around one chart (bUnit replaces all parameters on a new render).
    private static Action<ComponentParameterCollectionBuilder<CascadingValue<bool>>> Chart(IReadOnlyList<ApexSeries> series, bool dark = false) =>
        p => p.Add(c => c.Name, "IsDarkMode").Add(c => c.Value, dark)
            .AddChildContent<ApexChart>(c => c.Add(a => a.Type, "bar").Add(a => a.Series, series).Add(a => a.Height, "200px")
                .Add(a => a.Options, new { xaxis = new { title = new { text = "Minute (UTC)" } } }));

    private static JsonNode Sent(JSRuntimeInvocation call) => JsonNode.Parse((string)call.Arguments[1]!)!;

    [Fact]
    public void The_first_render_creates_the_chart_once_with_its_type_height_options_and_series()
    {
        var cut = RenderChart(Calls(3, null, 5));

        var create = Assert.Single(module.Invocations, i => i.Identifier == "create");
        Assert.Equal(cut.Find(".cp-apexchart").GetAttribute("blazor:elementReference") ?? "", ((ElementReference)create.Arguments[0]!).Id);
        var json = Sent(create);
        Assert.Equal("bar", (string?)json["options"]!["chart"]!["type"]);
        Assert.Equal("200px", (string?)json["options"]!["chart"]!["height"]);
        Assert.Equal("Minute (UTC)", (string?)json["options"]!["xaxis"]!["title"]!["text"]);
        var series = json["series"]![0]!;
        Assert.Equal("Allowed", (string?)series["name"]);
        Assert.Equal("#009E73", (string?)series["color"]!["light"]);
        var points = series["data"]!.AsArray();
        Assert.Equal(new DateTimeOffset(Nine).ToUnixTimeMilliseconds(), (long)points[0]!["x"]!);
        Assert.Equal(3, (double)points[0]!["y"]!);
        // A null is kept as null (a gap), not dropped and not a zero.
        Assert.True(points[1]!.AsObject().ContainsKey("y"));
        Assert.Null(points[1]!["y"]);
        Assert.False((bool)create.Arguments[2]!);
        Assert.DoesNotContain(module.Invocations, i => i.Identifier == "update");
    }

    [Fact]
    public void New_numbers_update_the_chart_in_place_and_the_same_numbers_send_nothing()
    {
        var cut = RenderChart(Calls(3));

        cut.Render(Chart(Calls(3, 4)));

        Assert.Single(module.Invocations, i => i.Identifier == "create");
        var update = Assert.Single(module.Invocations, i => i.Identifier == "update");
        Assert.Equal(2, Sent(update)["series"]![0]!["data"]!.AsArray().Count);

        cut.Render(Chart(Calls(3, 4)));

        Assert.Single(module.Invocations, i => i.Identifier == "update");
    }

    [Fact]
    public void Switching_to_dark_mode_updates_the_chart_with_the_dark_flag()
    {
        var cut = RenderChart(Calls(3));

        cut.Render(Chart(Calls(3), dark: true));

        var update = Assert.Single(module.Invocations, i => i.Identifier == "update");
        Assert.True((bool)update.Arguments[2]!);
    }

    [Fact]
    public async Task Removing_the_chart_destroys_it_in_the_browser()
    {
        var cut = RenderChart(Calls(3));
        var element = (ElementReference)module.Invocations.Single(i => i.Identifier == "create").Arguments[0]!;

        await cut.FindComponent<ApexChart>().Instance.DisposeAsync();

        var dispose = Assert.Single(module.Invocations, i => i.Identifier == "dispose");
        Assert.Equal(element.Id, ((ElementReference)dispose.Arguments[0]!).Id);
    }

    [Fact]
    public void Donut_charts_send_plain_numbers_and_their_labels()
    {
        context.Render<ApexChart>(p => p.Add(a => a.Type, "donut").Add(a => a.Labels, ["Allowed", "Rate limited"])
            .Add(a => a.Series, [new ApexSeries("Calls", []) { Values = [7, 2] }]));

        var json = Sent(module.Invocations.Single(i => i.Identifier == "create"));
        Assert.Equal([7.0, 2.0], json["series"]!.AsArray().Select(v => (double)v!));
        Assert.Equal(["Allowed", "Rate limited"], json["options"]!["labels"]!.AsArray().Select(v => (string)v!));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_series_colour_has_three_to_one_contrast_on_the_themes_surface_and_background(bool dark)
    {
        var theme = ControlPanelTheme.Theme;
        var backgrounds = dark
            ? new[] { theme.PaletteDark.Surface.ToString(MudBlazor.Utilities.MudColorOutputFormats.Hex), theme.PaletteDark.Background.ToString(MudBlazor.Utilities.MudColorOutputFormats.Hex) }
            : [theme.PaletteLight.Surface.ToString(MudBlazor.Utilities.MudColorOutputFormats.Hex), theme.PaletteLight.Background.ToString(MudBlazor.Utilities.MudColorOutputFormats.Hex)];
        foreach (var colour in ChartPalette.All.Select(c => dark ? c.Dark : c.Light))
            foreach (var background in backgrounds)
                Assert.True(Contrast(colour, background) >= 3, $"{colour} on {background}: {Contrast(colour, background):0.00}:1");
    }

    // WCAG 2 relative luminance and contrast ratio.
    private static double Contrast(string a, string b)
    {
        static double Luminance(string hex)
        {
            double Channel(int at)
            {
                var c = Convert.ToInt32(hex.Substring(at, 2), 16) / 255.0;
                return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
            }
            hex = hex.TrimStart('#');
            return 0.2126 * Channel(0) + 0.7152 * Channel(2) + 0.0722 * Channel(4);
        }
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }
}
