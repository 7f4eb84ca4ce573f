using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Idempotency;

/// <summary>
/// A write an access token made with an Idempotency-Key: which request it was and its answer, encrypted with the key ring,
/// kept for <see cref="AccessTokenOptions.IdempotencyWindow"/> so a retry gets the same answer instead of a second write.
/// </summary>
public class IdempotentRequest
{
    public Guid AccessTokenId { get; set; }
    /// <summary>SHA-256 of the caller's Idempotency-Key.</summary>
    public required string KeyHash { get; set; }
    /// <summary>
    /// SHA-256 of the request the key was first sent with; empty for rows kept from before requests were hashed
    /// (IdempotentRequests migration), which match no request and so only hold their key until they expire.
    /// </summary>
    public required string RequestHash { get; set; }
    /// <summary>The answer, protected with Data Protection; null while the write is under way.</summary>
    public string? ProtectedAnswer { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}

/// <summary>
/// Runs a write at most once per access token and Idempotency-Key: the first call claims the key, runs and keeps its answer;
/// a retry of the same request gets that answer, another request under the same key is refused. The retention job
/// (<see cref="HistoryRetention"/>) sweeps expired answers.
/// </summary>
public sealed class IdempotentRequests(
    IDbContextFactory<ControlPanelDbContext> databases, IDataProtectionProvider protection, IOptions<AccessTokenOptions> options, TimeProvider clock)
{
    public const int MaxKeyLength = 200;

    private readonly IDataProtector _protector = protection.CreateProtector("ControlPanel.Idempotency.Answer.v1");

    /// <param name="Replayed">True when the answer is the one a previous call with the same key got.</param>
    public sealed record Result(string Answer, bool Replayed);

    /// <param name="request">The request as text (method, path, body); a retry must give the same text.</param>
    /// <param name="what">The write in the refusals' sentences ("rotation").</param>
    /// <param name="run">
    /// Does the write and returns the answer to keep, or null when it was refused: nothing was done, so the key is freed for
    /// a corrected retry, as when it throws.
    /// </param>
    /// <returns>Null when <paramref name="run"/> refused.</returns>
    public async Task<Result?> RunOnceAsync(Guid accessTokenId, string idempotencyKey, string request, string what, Func<Task<string?>> run)
    {
        if (idempotencyKey.Length is 0 or > MaxKeyLength || idempotencyKey.Any(char.IsControl))
            throw new ValidationException($"An Idempotency-Key is 1 to {MaxKeyLength} printable characters.");

        var keyHash = Hash(idempotencyKey);
        var requestHash = Hash(request);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await databases.CreateDbContextAsync();
        // An expired answer for this key is not replayed; the retention job sweeps the others (HistoryRetention).
        await db.IdempotentRequests.Where(r => r.AccessTokenId == accessTokenId && r.KeyHash == keyHash && r.ExpiresAt <= now).ExecuteDeleteAsync();

        var existing = await db.IdempotentRequests.AsNoTracking().SingleOrDefaultAsync(r => r.AccessTokenId == accessTokenId && r.KeyHash == keyHash);
        if (existing is not null) return Replay(existing, requestHash, what);

        // Claims the key before running, so two retries racing each other cannot both write.
        var claim = new IdempotentRequest
        {
            AccessTokenId = accessTokenId,
            KeyHash = keyHash,
            RequestHash = requestHash,
            CreatedAt = now,
            ExpiresAt = now + options.Value.IdempotencyWindow,
        };
        db.IdempotentRequests.Add(claim);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            await using var again = await databases.CreateDbContextAsync();
            // The call that held the key let go (its write was refused) after this one tried: the caller retries.
            var winner = await again.IdempotentRequests.AsNoTracking().SingleOrDefaultAsync(r => r.AccessTokenId == accessTokenId && r.KeyHash == keyHash)
                ?? throw new ValidationException(UnderWay(what));
            return Replay(winner, requestHash, what);
        }

        string? answer;
        try
        {
            answer = await run();
        }
        catch
        {
            await ReleaseAsync(db, claim);
            throw;
        }
        if (answer is null)
        {
            await ReleaseAsync(db, claim);
            return null;
        }
        claim.ProtectedAnswer = _protector.Protect(answer);
        await db.SaveChangesAsync();
        return new(answer, false);
    }

    /// <summary>Nothing was written: the key is free for a corrected retry.</summary>
    private static async Task ReleaseAsync(ControlPanelDbContext db, IdempotentRequest claim)
    {
        db.IdempotentRequests.Remove(claim);
        await db.SaveChangesAsync();
    }

    private Result Replay(IdempotentRequest stored, string requestHash, string what)
    {
        if (stored.RequestHash != requestHash)
            throw new ValidationException($"This Idempotency-Key was used for a different {what}. Use a new key for each {what}.");
        if (stored.ProtectedAnswer is null)
            throw new ValidationException(UnderWay(what));
        return new(_protector.Unprotect(stored.ProtectedAnswer), true);
    }

    private static string UnderWay(string what) => $"A {what} with this Idempotency-Key is still under way. Retry in a moment.";

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
