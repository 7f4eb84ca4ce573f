using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Configuration;

/// <summary>
/// The one way an options class is registered: bound to its appsettings.json section and validated when the app starts,
/// so a bad value stops it with a message naming the setting as it is written in the file (<c>Api:DefaultMonthlyQuota</c>).
/// </summary>
public static class ValidatedOptions
{
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section) where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SectionValidation<T>(section));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>Data annotations and <see cref="IValidatableObject"/>, each failure named <c>Section:Member</c>.</summary>
    private sealed class SectionValidation<T>(string section) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var results = new List<ValidationResult>();
            if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
                return ValidateOptionsResult.Success;
            return ValidateOptionsResult.Fail(results.Select(Describe));
        }

        private string Describe(ValidationResult result)
        {
            var message = result.ErrorMessage ?? "is not valid.";
            // Some rules already name their setting in full; the rest get it in front.
            if (message.StartsWith(section + ":", StringComparison.Ordinal)) return message;
            var member = result.MemberNames.FirstOrDefault();
            return member is null ? $"{section}: {message}" : $"{section}:{member}: {message}";
        }
    }
}
