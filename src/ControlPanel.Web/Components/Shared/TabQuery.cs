using Microsoft.AspNetCore.Components;

namespace ControlPanel.Web.Components.Shared;

/// <summary>
/// A page's open tab in its address (<c>?tab=keys</c>): opening a tab is a step in the browser's history, so Back returns to
/// the tab before, a reload keeps it and the address can be shared. The first tab has no parameter.
/// </summary>
public static class TabQuery
{
    public const string Parameter = "tab";

    /// <summary>The index of the tab named in the address; the first for none or a name the page does not have (for this viewer).</summary>
    public static int IndexOf(IReadOnlyList<string> tabs, string? tab)
    {
        for (var i = 0; i < tabs.Count; i++)
            if (string.Equals(tabs[i], tab, StringComparison.OrdinalIgnoreCase)) return i;
        return 0;
    }

    /// <summary>Puts the tab into the address (a new history entry) unless it is there already.</summary>
    public static void Open(NavigationManager navigation, IReadOnlyList<string> tabs, int index, string? current)
    {
        var name = index > 0 && index < tabs.Count ? tabs[index] : null;
        if (IndexOf(tabs, current) == index && string.Equals(name, current, StringComparison.OrdinalIgnoreCase)) return;
        navigation.NavigateTo(navigation.GetUriWithQueryParameter(Parameter, name));
    }
}
