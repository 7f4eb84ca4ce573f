using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Components.Forms;

namespace ControlPanel.Web.Components.Pages.Applications;

/// <summary>
/// Shows a domain refusal that names a field (a duplicate name) at that field of an EditForm, next to the
/// snackbar ChangeRunner shows; the message goes once the field is edited.
/// </summary>
public sealed class DomainFieldErrors
{
    private EditContext? context;
    private ValidationMessageStore? store;

    /// <summary>Follows <paramref name="editContext"/> (a new one after the form's model is replaced).</summary>
    public void Attach(EditContext editContext)
    {
        if (ReferenceEquals(context, editContext)) return;
        if (context is not null) context.OnFieldChanged -= Forget;
        context = editContext;
        store = new ValidationMessageStore(editContext);
        context.OnFieldChanged += Forget;
    }

    /// <summary>Runs <paramref name="change"/>; a refusal naming fields is put on them, then passed on.</summary>
    public async Task RunAsync(Func<Task> change)
    {
        store?.Clear();
        try
        {
            await change();
        }
        catch (ValidationException e) when (context is not null && e.ValidationResult.MemberNames.Any())
        {
            foreach (var member in e.ValidationResult.MemberNames)
                store!.Add(context.Field(member), e.Message);
            context.NotifyValidationStateChanged();
            throw;
        }
    }

    private void Forget(object? sender, FieldChangedEventArgs e) => store?.Clear(e.FieldIdentifier);
}
