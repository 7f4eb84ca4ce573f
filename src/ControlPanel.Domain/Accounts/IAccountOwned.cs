namespace ControlPanel.Domain.Accounts;

/// <summary>
/// Something that belongs to one account (an application, a webhook endpoint, a delivery, a quota notification, ...):
/// what <see cref="AccountScope"/> scopes by. Owners see only their account's; staff see every account's.
/// </summary>
public interface IAccountOwned
{
    Guid AccountId { get; }
}
