using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Web.Components.Account;
using MudBlazor;

namespace ControlPanel.Web.Components.Shared;

/// <summary>The outcome of a change a page ran: done, or refused with the rule's message.</summary>
public sealed record ChangeResult(bool Succeeded, string? Error)
{
    public static readonly ChangeResult Done = new(true, null);
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
            return new ChangeResult(false, e.Message);
        }
        catch (AccessDeniedException)
        {
            snackbar.Add(NotAllowed, Severity.Error);
            return new ChangeResult(false, NotAllowed);
        }
        if (done is not null) snackbar.Add(done, Severity.Success);
        return ChangeResult.Done;
    }
}
