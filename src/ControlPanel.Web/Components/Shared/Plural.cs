using System.Globalization;

namespace ControlPanel.Web.Components.Shared;

/// <summary>Counts in words, singular for one: "1 call", "2 calls", "1,200 attempts".</summary>
public static class Plural
{
    public static string Of(long count, string one, string many) => $"{count.ToString("N0", CultureInfo.InvariantCulture)} {(count == 1 ? one : many)}";
}
