using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace ControlPanel.Domain.Errors;

/// <summary>The channel table of the SYNAPPS guide.</summary>
public static class ChannelCatalogue
{
    // In the guide's order. Struck-through rows (~~2~~ ... ~~9~~) are the inactive ones;
    // descriptions are as written, including the lower-case "voip".
    private static readonly Channel[] Rows =
    [
        new(0, "Live Chat", Active: true),
        new(1, "Callback", Active: true),
        new(2, "Email", Active: false),
        new(3, "voip", Active: false),
        new(4, "Video", Active: false),
        new(5, "WhatsApp", Active: false),
        new(6, "Skype", Active: false),
        new(7, "SMS", Active: false),
        new(8, "Twitter", Active: false),
        new(9, "Ticket", Active: false),
        new(10, "Facebook", Active: true),
        new(14, "Knowledge", Active: true),
        new(15, "IVA", Active: true),
        new(16, "Form Agent", Active: true),
        new(17, "Virtual Agent", Active: true),
        new(99, "Unknown", Active: true),
    ];

    private static readonly FrozenDictionary<int, Channel> ByNumber = Rows.ToFrozenDictionary(channel => channel.Number);

    /// <summary>Every channel, active or not, in the guide's order.</summary>
    public static IReadOnlyList<Channel> All { get; } = Array.AsReadOnly(Rows);

    /// <summary>The channel with this number; throws <see cref="KeyNotFoundException"/> for a number the guide does not list.</summary>
    public static Channel Get(int number) =>
        ByNumber.TryGetValue(number, out var channel)
            ? channel
            : throw new KeyNotFoundException($"Channel {number} is not in the channel table.");

    /// <summary>Looks up a channel without throwing.</summary>
    public static bool TryGet(int number, [NotNullWhen(true)] out Channel? channel) => ByNumber.TryGetValue(number, out channel);

    /// <summary>True when the number names a channel that is still offered (an unknown number is not active).</summary>
    public static bool IsActive(int number) => ByNumber.TryGetValue(number, out var channel) && channel.Active;
}
