using ControlPanel.Web.Components.Shared;
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

    /// <summary>Puts a refusal that names fields on those fields (after clearing what an earlier one put there).</summary>
    public void Show(ChangeResult result)
    {
        store?.Clear();
        if (context is null || result.Fields.Count == 0) return;
        foreach (var field in result.Fields)
            store!.Add(context.Field(field), result.Error!);
        context.NotifyValidationStateChanged();
    }

    private void Forget(object? sender, FieldChangedEventArgs e) => store?.Clear(e.FieldIdentifier);
}
