using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;

namespace ControlPanel.Domain.Accounts;

/// <summary>Identity answers results; the house's services refuse with a <see cref="ValidationException"/> carrying Identity's sentences.</summary>
internal static class IdentityResults
{
    public static void ThrowIfFailed(this IdentityResult result)
    {
        if (!result.Succeeded) throw new ValidationException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
