using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Accounts;

/// <summary>A network (an IPv4 address or an IPv6 /64) a user has signed in from.</summary>
public class KnownSignInAddress
{
    public const int AddressMaxLength = 64;

    public required string UserId { get; set; }
    public required string Address { get; set; }
    public DateTime FirstSeenAt { get; set; }
    public DateTime LastSeenAt { get; set; }
}

/// <summary>
/// Remembers where each user signs in from, and mails them a security notice (which cannot be turned off) the first
/// time they sign in from a network not seen before; their very first sign-in is no news.
/// </summary>
public static class SignInAddresses
{
    public static async Task RecordAsync(ControlPanelDbContext db, ControlPanelUser user, string address, DateTime now)
    {
        var known = await db.KnownSignInAddresses.Where(k => k.UserId == user.Id).ToListAsync();
        if (known.FirstOrDefault(k => k.Address == address) is { } seen)
            seen.LastSeenAt = now;
        else
        {
            db.KnownSignInAddresses.Add(new KnownSignInAddress { UserId = user.Id, Address = address, FirstSeenAt = now, LastSeenAt = now });
            if (known.Count > 0 && user.Email is not null)
                MailOutbox.Add(db, MailKinds.NewSignInAddress, user.Email, MailTemplates.NewSignInAddress(user.DisplayName, address, now), now, user.Id);
        }
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            // Two sign-ins from the same new network at once: the other one saved it (and its notice).
        }
    }

}
