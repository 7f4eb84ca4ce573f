using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Data;
using Microsoft.AspNetCore.Identity;

namespace ControlPanel.Domain.Accounts;

/// <summary>Self-service sign-up: a new account (organisation) with the person signing up as its Owner.</summary>
public sealed class Registration(ControlPanelDbContext db, UserManager<ControlPanelUser> users, TimeProvider clock, EmailConfirmation? confirmation = null)
{
    // IdentityErrorDescriber's codes for an email (which is also the user name) that is already registered.
    private const string TakenUserName = nameof(IdentityErrorDescriber.DuplicateUserName);
    private const string TakenEmail = nameof(IdentityErrorDescriber.DuplicateEmail);

    public sealed class Form
    {
        [Required(ErrorMessage = "Enter your organisation's name.")]
        [StringLength(Account.NameMaxLength, MinimumLength = 2, ErrorMessage = "Use 2 to {1} characters.")]
        public string AccountName { get; set; } = "";

        [Required(ErrorMessage = "Enter your name.")]
        [StringLength(ControlPanelUser.DisplayNameMaxLength, ErrorMessage = "Use at most {1} characters.")]
        public string DisplayName { get; set; } = "";

        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [StringLength(256, ErrorMessage = "Use at most {1} characters.")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Choose a password."), Password, DataType(DataType.Password)]
        public string Password { get; set; } = "";

        [DataType(DataType.Password), Compare(nameof(Password), ErrorMessage = "The passwords do not match.")]
        public string ConfirmPassword { get; set; } = "";
    }

    /// <summary>
    /// Creates the account and its Owner. An email already registered is not revealed: the answer is success with
    /// no owner and nothing is created, so the caller answers both alike (nobody is signed in; the person signs in
    /// with the password they chose, which works only if the account is theirs). Errors are about the input only.
    /// </summary>
    public async Task<(IdentityResult Result, ControlPanelUser? Owner)> RegisterOwnerAsync(Form form)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync();
        var account = new Account { Name = form.AccountName.Trim(), CreatedAt = now };
        db.Accounts.Add(account);
        await db.SaveChangesAsync();

        var owner = new ControlPanelUser { UserName = form.Email.Trim(), Email = form.Email.Trim(), DisplayName = form.DisplayName.Trim(), AccountId = account.Id, CreatedAt = now };
        var result = await users.CreateAsync(owner, form.Password);
        if (!result.Succeeded)
        {
            // Identity checks the password before the user, so a taken email never hides a password message (and never shows instead of one).
            var inputErrors = result.Errors.Where(e => e.Code is not (TakenUserName or TakenEmail)).ToArray();
            return (inputErrors.Length == 0 ? IdentityResult.Success : IdentityResult.Failed(inputErrors), null);
        }
        result = await users.AddToRoleAsync(owner, Roles.Owner);
        if (!result.Succeeded) return (result, null);
        db.AccountMembers.Add(new AccountMember { AccountId = account.Id, UserId = owner.Id, Role = Roles.Owner, CreatedAt = now });
        await db.SaveChangesAsync();
        // The confirmation link is saved with the new owner: both or neither.
        if (confirmation is { Required: true })
        {
            await confirmation.QueueAsync(owner);
            await db.SaveChangesAsync();
        }

        await transaction.CommitAsync();
        return (result, owner);
    }
}
