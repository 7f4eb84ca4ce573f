using MudBlazor;

namespace ControlPanel.Web.Components.Layout;

/// <summary>The product's one theme: its palette in light and dark, and the type scale every page uses.</summary>
public static class ControlPanelTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3f51b5",
            Secondary = "#00897b",
            Tertiary = "#6d4c41",
            Info = "#1e6fd9",
            Success = "#2e7d32",
            Warning = "#b26a00",
            Error = "#c62828",
            AppbarBackground = "#283593",
            AppbarText = "#ffffff",
            Background = "#f5f6fa",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            DrawerText = "#1d2330",
            TextPrimary = "#1d2330",
            TextSecondary = "#5f6776",
            LinesDefault = "#e0e3eb",
            TableLines = "#e0e3eb",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8c9eff",
            Secondary = "#4db6ac",
            Tertiary = "#bcaaa4",
            Info = "#64b5f6",
            Success = "#81c784",
            Warning = "#ffb74d",
            Error = "#ef9a9a",
            AppbarBackground = "#1a1f36",
            AppbarText = "#e8eaf6",
            Background = "#12141c",
            Surface = "#1c1f2b",
            DrawerBackground = "#161925",
            DrawerText = "#e3e5ee",
            TextPrimary = "#e3e5ee",
            TextSecondary = "#a6abbd",
            LinesDefault = "#2e3344",
            TableLines = "#2e3344",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Roboto", "Segoe UI", "Helvetica Neue", "Arial", "sans-serif"] },
            H4 = new H4Typography { FontSize = "1.6rem", FontWeight = "500" },
            H5 = new H5Typography { FontSize = "1.25rem", FontWeight = "500" },
            H6 = new H6Typography { FontSize = "1.05rem", FontWeight = "500" },
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "232px" },
    };

    /// <summary>The cookie that remembers a person's choice of light or dark; without it the OS preference decides.</summary>
    public const string ModeCookie = "cp-theme";
}
