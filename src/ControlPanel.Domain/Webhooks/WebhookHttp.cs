using System.Net;
using System.Net.Sockets;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// The HTTP handler deliveries go through: no redirects, no proxy, no cookies, and a connect step
/// that resolves the host itself and refuses forbidden addresses, so the address checked is the
/// address connected to.
/// </summary>
public static class WebhookHttp
{
    /// <summary>The IHttpClientFactory name of the delivery client.</summary>
    public const string ClientName = "ControlPanel.Webhooks";

    public static SocketsHttpHandler CreateHandler(WebhookOptions options) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = options.Timeout,
        // Connections are reused only briefly, so a changed DNS answer is checked again soon.
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, options.AllowPrivateAddresses, cancellationToken),
    };

    /// <summary>The host's addresses; an IP literal is its own answer.</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) return [literal];
        return await Dns.GetHostAddressesAsync(host, cancellationToken);
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(endPoint.Host, cancellationToken);
        WebhookAddressRefusedException? refused = null;
        SocketException? failed = null;
        foreach (var address in addresses)
        {
            if (!allowPrivate && NetworkAddressRules.WhyRefused(address) is not null)
            {
                refused ??= new WebhookAddressRefusedException(endPoint.Host, address);
                continue;
            }
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                failed = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        // A refused address means the host is forbidden, even when another address also failed.
        if (refused is not null) throw refused;
        throw failed ?? new SocketException((int)SocketError.HostNotFound);
    }
}
