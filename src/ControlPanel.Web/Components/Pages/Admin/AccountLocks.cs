using ControlPanel.Domain.Accounts;
using ControlPanel.Web.Components.Shared;
using MudBlazor;

namespace ControlPanel.Web.Components.Pages.Admin;

/// <summary>The words of locking and unlocking an account, said the same on the accounts list and on the account's page.</summary>
public static class AccountLocks
{
    /// <summary>Asks for the reason (the account's Owners are told it); null when the Admin cancelled.</summary>
    public static Task<string?> AskAsync(IDialogService dialogs, string account, bool locking) => locking
        ? dialogs.AskReasonAsync("Lock account",
            $"Lock \"{account}\"? Every API call of its applications is refused with 225 ACCOUNT IS LOCKED until it is unlocked. Its Owners are mailed the reason, and its members see it in the panel.",
            "Lock", "Reason (shown to the account's members)", ControlPanel.Domain.Accounts.Account.LockReasonMaxLength, danger: true)
        : dialogs.AskReasonAsync("Unlock account",
            $"Unlock \"{account}\"? Its applications' calls are accepted again. Its Owners are mailed the reason.",
            "Unlock", "Reason (mailed to the account's Owners)", ControlPanel.Domain.Accounts.Account.LockReasonMaxLength);

    public static string Done(string account, bool locked) =>
        locked ? $"Locked \"{account}\": its calls now answer 225." : $"Unlocked \"{account}\": its calls are accepted again.";
}
