using ControlPanel.Web.Components.Shared;

namespace ControlPanel.Web.Components.Pages.Webhooks;

/// <summary>Attempt counts in words, singular for one ("1 attempt", "2 attempts").</summary>
public static class Attempts
{
    public static string Count(int attempts) => Plural.Of(attempts, "attempt", "attempts");
}
