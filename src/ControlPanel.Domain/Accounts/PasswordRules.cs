using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// The password rules Identity enforces (configured from AccountSecurity), in words: stated under every
/// password field before anyone types, and checked at the field with the same numbers.
/// </summary>
public sealed class PasswordRules(IOptions<IdentityOptions> identity)
{
    private PasswordOptions Rules => identity.Value.Password;

    public int MinimumLength => Rules.RequiredLength;

    /// <summary>"At least 10 characters, with an upper-case letter, a lower-case letter and a digit."</summary>
    public string Description
    {
        get
        {
            var parts = Needs().Select(n => n.What).ToList();
            var length = $"At least {Rules.RequiredLength} characters";
            return parts.Count == 0 ? length + "." : $"{length}, with {Join(parts)}.";
        }
    }

    /// <summary>What the password still needs, in one sentence, or null when it follows every rule.</summary>
    public string? Problem(string? password)
    {
        password ??= "";
        if (password.Length < Rules.RequiredLength) return $"Use at least {Rules.RequiredLength} characters.";
        var missing = Needs().Where(n => !password.Any(n.Test)).Select(n => n.What).ToList();
        if (missing.Count > 0) return $"Add {Join(missing)}.";
        if (password.Distinct().Count() < Rules.RequiredUniqueChars) return $"Use at least {Rules.RequiredUniqueChars} different characters.";
        return null;
    }

    private IEnumerable<(string What, Func<char, bool> Test)> Needs()
    {
        if (Rules.RequireUppercase) yield return ("an upper-case letter", char.IsUpper);
        if (Rules.RequireLowercase) yield return ("a lower-case letter", char.IsLower);
        if (Rules.RequireDigit) yield return ("a digit", char.IsAsciiDigit);
        if (Rules.RequireNonAlphanumeric) yield return ("a symbol", c => !char.IsLetterOrDigit(c));
    }

    private static string Join(IReadOnlyList<string> parts) =>
        parts.Count == 1 ? parts[0] : string.Join(", ", parts.Take(parts.Count - 1)) + " and " + parts[^1];
}

/// <summary>
/// Checks a new password against <see cref="PasswordRules"/>. Attributes cannot take the configured length,
/// so the rules come from the validation context's services (Blazor's validator passes them).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PasswordAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var rules = validationContext.GetService<PasswordRules>()
            ?? throw new InvalidOperationException("Password validation needs the PasswordRules service in the validation context.");
        var problem = rules.Problem(value as string);
        return problem is null ? ValidationResult.Success : new ValidationResult(problem, validationContext.MemberName is { } member ? [member] : null);
    }
}
