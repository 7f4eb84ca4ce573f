using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Data;
using Microsoft.AspNetCore.Identity;

namespace ControlPanel.Domain.Accounts;

/// <summary>Self-service sign-up: a new account (organisation) with the person signing up as its Owner.</summary>
public sealed class Registration(ControlPanelDbContext db, UserManager<ControlPanelUser> users, TimeProvider clock)
{
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

    public async Task<(IdentityResult Result, ControlPanelUser? Owner)> RegisterOwnerAsync(Form form)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync();
        var account = new Account { Name = form.AccountName.Trim(), CreatedAt = now };
        db.Accounts.Add(account);
        await db.SaveChangesAsync();

        var owner = new ControlPanelUser { UserName = form.Email.Trim(), Email = form.Email.Trim(), DisplayName = form.DisplayName.Trim(), AccountId = account.Id, CreatedAt = now };
        var result = await users.CreateAsync(owner, form.Password);
        if (result.Succeeded) result = await users.AddToRoleAsync(owner, Roles.Owner);
        if (!result.Succeeded) return (result, null);

        await transaction.CommitAsync();
        return (result, owner);
    }
}
