using Microsoft.AspNetCore.Identity;

namespace ControlPanel.Domain.Accounts;

/// <summary>A person who signs in. Owners belong to one account; staff (Admin, Support) belong to none.</summary>
public class ControlPanelUser : IdentityUser
{
    public const int DisplayNameMaxLength = 100;

    public string DisplayName { get; set; } = "";
    public Guid? AccountId { get; set; }
    public Account? Account { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>When the newest invitation link of a staff member who has not chosen a password yet was issued.</summary>
    public DateTime? InvitationSentAt { get; set; }
    /// <summary>
    /// The 30-second step of the last authenticator code accepted from this user: a code is accepted only for a later step,
    /// so a code seen over someone's shoulder (or replayed) does not work a second time.
    /// </summary>
    public long? AuthenticatorStepUsed { get; set; }

    /// <summary>The notices (Email.NoticeKind bits) this person turned off on their account page; security notices cannot be.</summary>
    public int MutedNotices { get; set; }
}
