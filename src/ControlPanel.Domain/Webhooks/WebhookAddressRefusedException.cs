using System.Net;

namespace ControlPanel.Domain.Webhooks;

/// <summary>The endpoint's host resolved only to addresses webhooks may not reach.</summary>
public sealed class WebhookAddressRefusedException(string host, IPAddress address, string kind)
    : Exception($"{host} resolves to {address}, {kind} address, which webhooks may not reach.")
{
    public IPAddress Address { get; } = address;
}
