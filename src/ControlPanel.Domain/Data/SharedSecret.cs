using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Data;

/// <summary>
/// A random secret every instance must agree on, made once by whichever instance needs it first and
/// then read by the others from the database (for example the key of the session tokens' MAC).
/// </summary>
public class SharedSecret
{
    public const int NameMaxLength = 100;

    public required string Name { get; set; }
    public required byte[] Value { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// The secret called <paramref name="name"/>, made now from <paramref name="length"/> random bytes when
    /// there is none yet. Two instances making it at once both end with the one that was saved first
    /// (the name is the primary key, so the second insert fails and is read back).
    /// </summary>
    public static async Task<byte[]> GetOrCreateAsync(IDbContextFactory<ControlPanelDbContext> databases, string name, int length, DateTime now, CancellationToken cancellationToken = default)
    {
        if (await ReadAsync(databases, name, cancellationToken) is { } existing) return existing;
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            db.SharedSecrets.Add(new SharedSecret { Name = name, Value = RandomNumberGenerator.GetBytes(length), CreatedAt = now });
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance saved its secret first: use that one.
        }
        return await ReadAsync(databases, name, cancellationToken) ?? throw new InvalidOperationException($"The shared secret '{name}' could not be made.");
    }

    private static async Task<byte[]?> ReadAsync(IDbContextFactory<ControlPanelDbContext> databases, string name, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.SharedSecrets.AsNoTracking().Where(s => s.Name == name).Select(s => s.Value).SingleOrDefaultAsync(cancellationToken);
    }
}
