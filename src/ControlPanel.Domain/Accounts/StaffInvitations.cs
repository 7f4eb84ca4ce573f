using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// Admins invite platform staff. An invitation is a user without a password plus a one-time token
/// (Identity's password-reset token) that the invitee redeems to choose a password.
/// </summary>
public sealed class StaffInvitations(UserManager<ControlPanelUser> users, TimeProvider clock)
{
    public sealed class Form
    {
        [Required, EmailAddress, StringLength(256)]
        public string Email { get; set; } = "";

        [Required, StringLength(ControlPanelUser.DisplayNameMaxLength), Display(Name = "Name")]
        public string DisplayName { get; set; } = "";

        [Required]
        public string Role { get; set; } = Roles.Support;
    }

    public sealed record Invitation(string UserId, string Token);

    public sealed record StaffMember(string UserId, string Email, string DisplayName, string Role, bool HasAcceptedInvitation);

    /// <summary>Every Admin and Support user, for the staff page.</summary>
    public async Task<IReadOnlyList<StaffMember>> ListAsync(Viewer viewer)
    {
        if (!viewer.IsAdmin) throw new AccessDeniedException();
        var members = new List<StaffMember>();
        foreach (var role in Roles.Staff)
            foreach (var user in await users.GetUsersInRoleAsync(role))
                members.Add(new StaffMember(user.Id, user.Email ?? "", user.DisplayName, role, user.PasswordHash is not null));
        return members.OrderBy(m => m.Email, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<(IdentityResult Result, Invitation? Invitation)> InviteAsync(Viewer viewer, Form form)
    {
        if (!viewer.IsAdmin) throw new AccessDeniedException();
        if (!Roles.Staff.Contains(form.Role))
            return (IdentityResult.Failed(new IdentityError { Code = "Role", Description = "Staff are Admin or Support." }), null);

        var user = new ControlPanelUser { UserName = form.Email.Trim(), Email = form.Email.Trim(), EmailConfirmed = true, DisplayName = form.DisplayName.Trim(), CreatedAt = clock.GetUtcNow().UtcDateTime };
        var result = await users.CreateAsync(user);
        if (result.Succeeded) result = await users.AddToRoleAsync(user, form.Role);
        if (!result.Succeeded) return (result, null);
        return (result, new Invitation(user.Id, await users.GeneratePasswordResetTokenAsync(user)));
    }

    /// <summary>The invitee sets a password; the token works once because setting it changes the security stamp.</summary>
    public async Task<IdentityResult> AcceptAsync(string userId, string token, string password)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null || await users.HasPasswordAsync(user))
            return IdentityResult.Failed(new IdentityError { Code = "Invitation", Description = "This invitation is not valid or was already used." });
        return await users.ResetPasswordAsync(user, token, password);
    }
}
