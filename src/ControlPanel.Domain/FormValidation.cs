using System.ComponentModel.DataAnnotations;

namespace ControlPanel.Domain;

/// <summary>The one way services check a form's annotations before applying it.</summary>
internal static class FormValidation
{
    /// <summary>
    /// Throws the first broken rule as a <see cref="ValidationException"/> whose result names the field it is about
    /// (<see cref="ValidationResult.MemberNames"/>), so a form can show it there.
    /// </summary>
    public static void ThrowIfInvalid(object form)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(form, new ValidationContext(form), results, validateAllProperties: true))
            throw new ValidationException(results[0], null, form);
    }
}
