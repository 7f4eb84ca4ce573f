using System.Net;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// The endpoint's host resolved only to addresses webhooks may not reach. The message (shown in the delivery log) names
/// neither the address nor its kind, so the log cannot be used to map internal DNS; <see cref="Address"/> is for the server's log.
/// </summary>
public sealed class WebhookAddressRefusedException(string host, IPAddress address)
    : Exception($"{host} resolves to a non-public address, which webhooks may not reach.")
{
    public IPAddress Address { get; } = address;
}
