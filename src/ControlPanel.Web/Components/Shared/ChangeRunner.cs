using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Web.Components.Account;
using MudBlazor;

namespace ControlPanel.Web.Components.Shared;

/// <summary>The outcome of a change a page ran: done, or refused with the rule's message and the fields it names.</summary>
public sealed record ChangeResult(bool Succeeded, string? Error, IReadOnlyList<string> Fields)
{
    public static readonly ChangeResult Done = new(true, null, []);

    /// <summary>The refusal's message when it names <paramref name="field"/> (a duplicate name, a refused URL), for the form to show there.</summary>
    public string? ErrorFor(string field) => Fields.Contains(field) ? Error : null;
}

/// <summary>
/// The one way pages run a change: as the signed-in viewer, with the domain's refusal shown as a
/// snackbar (and returned, for the form that asked) and the success confirmed in one line.
/// </summary>
public sealed class ChangeRunner(CurrentViewer currentViewer, ISnackbar snackbar)
{
    public const string NotAllowed = "You may not make this change.";

    public async Task<ChangeResult> RunAsync(Func<Viewer, Task> change, string? done = null)
    {
        try
        {
            await change(await currentViewer.GetAsync());
        }
        catch (ValidationException e)
        {
            snackbar.Add(e.Message, Severity.Error);
            return new ChangeResult(false, e.Message, [.. e.ValidationResult.MemberNames]);
        }
        catch (AccessDeniedException)
        {
            snackbar.Add(NotAllowed, Severity.Error);
            return new ChangeResult(false, NotAllowed, []);
        }
        if (done is not null) snackbar.Add(done, Severity.Success);
        return ChangeResult.Done;
    }
}
