using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using ControlPanel.Domain.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// Authenticator (TOTP, RFC 6238) codes that work once: Identity's own provider accepts the same code again and again
/// for its whole window, so a code read over a shoulder or replayed from a proxy log signs in a second time.
/// A code is accepted only for a 30-second step later than the last one this user used, recorded atomically so two
/// instances racing with the same code cannot both accept it.
/// </summary>
public sealed class SingleUseAuthenticatorCodes(IDbContextFactory<ControlPanelDbContext> databases, TimeProvider time)
    : IUserTwoFactorTokenProvider<ControlPanelUser>
{
    public const string ProviderName = "SingleUseAuthenticator";
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <summary>Steps either side of now that are accepted, for clocks that drift (Identity's own provider allows the same).</summary>
    private const int StepsOfDrift = 2;

    // Authenticator apps make the codes; this provider never generates or sends one.
    public Task<string> GenerateAsync(string purpose, UserManager<ControlPanelUser> manager, ControlPanelUser user) =>
        Task.FromResult("");

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<ControlPanelUser> manager, ControlPanelUser user) =>
        !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<ControlPanelUser> manager, ControlPanelUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrWhiteSpace(key) || token.Length != 6 || !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            return false;

        var secret = FromBase32(key);
        var now = time.GetUtcNow().ToUnixTimeSeconds() / (long)Step.TotalSeconds;
        for (var step = now - StepsOfDrift; step <= now + StepsOfDrift; step++)
        {
            if (CodeFor(secret, step) == code)
                return await UseStepAsync(user, step);
        }
        return false;
    }

    /// <summary>Records the step as used unless it, or a later one, already was; true when this call recorded it.</summary>
    private async Task<bool> UseStepAsync(ControlPanelUser user, long step)
    {
        await using var db = await databases.CreateDbContextAsync();
        var recorded = await db.Users
            .Where(u => u.Id == user.Id && (u.AuthenticatorStepUsed == null || u.AuthenticatorStepUsed < step))
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.AuthenticatorStepUsed, step));
        if (recorded == 1) user.AuthenticatorStepUsed = step;
        return recorded == 1;
    }

    /// <summary>RFC 4648 base32, as Identity writes authenticator keys (its own decoder is not public).</summary>
    private static byte[] FromBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var value in text.Select(c => alphabet.IndexOf(char.ToUpperInvariant(c))).Where(value => value >= 0))
        {
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits < 8) continue;
            bits -= 8;
            bytes.Add((byte)(buffer >> bits));
            buffer &= (1 << bits) - 1;
        }
        return [.. bytes];
    }

    /// <summary>HMAC-SHA1 of the step count, dynamically truncated to six digits (RFC 4226 section 5.3).</summary>
    private static int CodeFor(byte[] secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
        HMACSHA1.HashData(secret, counter, hash);
        var offset = hash[^1] & 0x0F;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return binary % 1_000_000;
    }
}
