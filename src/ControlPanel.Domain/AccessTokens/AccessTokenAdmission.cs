using System.Net;
using ControlPanel.Domain.Limits;
using ControlPanel.Domain.Requests;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.AccessTokens;

/// <summary>
/// Lets one management API call in, in a straight line: the caller's address must have refused calls left (the key
/// check's window, <see cref="RefusedCalls"/>); the token must be good, and a refused one counts against the address as
/// a refused key does; the token must have calls left this minute (AccessTokens:RequestsPerMinute). Only a call let in is
/// recorded as the token's last use.
/// </summary>
public sealed class AccessTokenAdmission(
    AccessTokenService tokens, RefusedCalls refusedCalls, RateLimiter limiter, IOptions<AccessTokenOptions> options, TimeProvider clock)
{
    /// <param name="Window">The rate-limit window the headers report: the token's, or the address's refused calls; null when neither was reached.</param>
    public sealed record Result(AccessTokenService.Use? Use, AccessTokenService.Refusal? Refused, RateLimitDecision? Window);

    /// <summary>The 158 <c>extraInfo</c> for an address whose refused calls used up their window.</summary>
    public string TooManyRefusedMessage => refusedCalls.Message;

    public async Task<Result> AdmitAsync(string? token, IPAddress? clientIp, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var address = ClientAddressGroup.Of(clientIp);
        if (refusedCalls.Blocked(address, now) is { } blocked) return new(null, AccessTokenService.Refusal.TooManyRefused, blocked);

        var authentication = await tokens.AuthenticateAsync(token, clientIp?.ToString(), cancellationToken);
        if (authentication.Use is not { } use)
        {
            var refusedWindow = await refusedCalls.CountAsync(address, now);
            return new(null, refusedWindow.Allowed ? authentication.Refused : AccessTokenService.Refusal.TooManyRefused, refusedWindow);
        }

        var window = await limiter.TryAcquireAsync($"t:{use.TokenId:N}", options.Value.RequestsPerMinute, now);
        if (!window.Allowed) return new(null, AccessTokenService.Refusal.RateLimited, window);
        await tokens.RecordUseAsync(use, cancellationToken);
        return new(use, null, window);
    }
}
