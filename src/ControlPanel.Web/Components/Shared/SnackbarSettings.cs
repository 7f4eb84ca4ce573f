using MudBlazor;

namespace ControlPanel.Web.Components.Shared;

/// <summary>How snackbars (confirmations, refusals no form shows) appear: briefly, few at a time, never over a form's buttons.</summary>
public static class SnackbarSettings
{
    /// <summary>At most this many at once; the oldest leave first.</summary>
    public const int MaxShown = 3;

    /// <summary>How long one stays, in milliseconds, before it fades.</summary>
    public const int VisibleMilliseconds = 4000;

    public static void Apply(SnackbarConfiguration snackbars)
    {
        // At the top: dialogs and forms keep their buttons at the bottom, where a click leaves the pointer (and a pointer
        // resting on a snackbar holds it open).
        snackbars.PositionClass = Defaults.Classes.Position.TopCenter;
        snackbars.NewestOnTop = true;
        snackbars.MaxDisplayedSnackbars = MaxShown;
        // The same message twice (a double click, a second refusal) is one snackbar.
        snackbars.PreventDuplicates = true;
        snackbars.VisibleStateDuration = VisibleMilliseconds;
        snackbars.ShowTransitionDuration = 200;
        snackbars.HideTransitionDuration = 300;
        snackbars.ShowCloseIcon = true;
    }
}
