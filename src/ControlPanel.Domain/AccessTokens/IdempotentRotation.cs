using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.AccessTokens;

/// <summary>
/// A rotate made with an Idempotency-Key: its answer (the new pair) encrypted with the key ring for
/// <see cref="AccessTokenOptions.IdempotencyWindow"/>, so a retry gets the same pair instead of a second rotation.
/// </summary>
public class IdempotentRotation
{
    public Guid AccessTokenId { get; set; }
    /// <summary>SHA-256 of the caller's Idempotency-Key.</summary>
    public required string KeyHash { get; set; }
    public Guid ApplicationId { get; set; }
    public RotationGrace Grace { get; set; }
    /// <summary>The new pair, protected with Data Protection; null while the rotation is under way.</summary>
    public string? ProtectedAnswer { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}

/// <summary>Rotates an application's keys for an access token, at most once per Idempotency-Key.</summary>
public sealed class IdempotentRotations(
    IDbContextFactory<ControlPanelDbContext> databases, KeyService keys, IDataProtectionProvider protection,
    IOptions<AccessTokenOptions> options, TimeProvider clock)
{
    public const int MaxKeyLength = 200;
    private const string UnderWay = "A rotation with this Idempotency-Key is still under way. Retry in a moment.";

    private readonly IDataProtector _protector = protection.CreateProtector("ControlPanel.AccessTokens.RotationAnswer.v1");

    /// <param name="Replayed">True when the answer is the one a previous call with the same key got.</param>
    public sealed record Result(IssuedKeys Keys, bool Replayed);

    private sealed record Answer(Guid KeyPairId, string ApplicationKey, string ConsumerKey);

    public async Task<Result> RotateAsync(AccessTokenService.Use use, Guid applicationId, RotationGrace grace, string? idempotencyKey)
    {
        if (idempotencyKey is null) return new(await keys.RotateAsync(use.Viewer, applicationId, grace), false);
        if (idempotencyKey.Length is 0 or > MaxKeyLength || idempotencyKey.Any(char.IsControl))
            throw new ValidationException($"An Idempotency-Key is 1 to {MaxKeyLength} printable characters.");

        var keyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)));
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await databases.CreateDbContextAsync();
        // An expired answer for this key is not replayed; the retention job sweeps the others (HistoryRetention).
        await db.IdempotentRotations.Where(r => r.AccessTokenId == use.TokenId && r.KeyHash == keyHash && r.ExpiresAt <= now).ExecuteDeleteAsync();

        var existing = await db.IdempotentRotations.AsNoTracking().SingleOrDefaultAsync(r => r.AccessTokenId == use.TokenId && r.KeyHash == keyHash);
        if (existing is not null) return Replay(existing, applicationId, grace);

        // Claims the key before rotating, so two retries racing each other cannot both rotate.
        var claim = new IdempotentRotation
        {
            AccessTokenId = use.TokenId,
            KeyHash = keyHash,
            ApplicationId = applicationId,
            Grace = grace,
            CreatedAt = now,
            ExpiresAt = now + options.Value.IdempotencyWindow,
        };
        db.IdempotentRotations.Add(claim);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            await using var again = await databases.CreateDbContextAsync();
            // The call that held the key let go (its rotation was refused) after this one tried: the caller retries.
            var winner = await again.IdempotentRotations.AsNoTracking().SingleOrDefaultAsync(r => r.AccessTokenId == use.TokenId && r.KeyHash == keyHash)
                ?? throw new ValidationException(UnderWay);
            return Replay(winner, applicationId, grace);
        }

        IssuedKeys issued;
        try
        {
            issued = await keys.RotateAsync(use.Viewer, applicationId, grace);
        }
        catch
        {
            // Nothing rotated: the key is free for a corrected retry.
            db.IdempotentRotations.Remove(claim);
            await db.SaveChangesAsync();
            throw;
        }
        claim.ProtectedAnswer = _protector.Protect(JsonSerializer.Serialize(new Answer(issued.KeyPairId, issued.ApplicationKey, issued.ConsumerKey)));
        await db.SaveChangesAsync();
        return new(issued, false);
    }

    private Result Replay(IdempotentRotation stored, Guid applicationId, RotationGrace grace)
    {
        if (stored.ApplicationId != applicationId || stored.Grace != grace)
            throw new ValidationException("This Idempotency-Key was used for a different rotation. Use a new key for each rotation.");
        if (stored.ProtectedAnswer is null)
            throw new ValidationException(UnderWay);
        var answer = JsonSerializer.Deserialize<Answer>(_protector.Unprotect(stored.ProtectedAnswer))!;
        return new(new IssuedKeys(answer.KeyPairId, answer.ApplicationKey, answer.ConsumerKey), true);
    }
}
