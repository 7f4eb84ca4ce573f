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

/// <summary>Which refusals a form shows itself, so that a snackbar does not show the same message a second time.</summary>
public enum FormShows
{
    /// <summary>None: every refusal goes to a snackbar.</summary>
    Nothing,
    /// <summary>Refusals that name its fields, at those fields; the others go to a snackbar.</summary>
    FieldRefusals,
    /// <summary>Every refusal (at its field, or beside the button that asked).</summary>
    EveryRefusal,
}

/// <summary>
/// The one way pages run a change: as the signed-in viewer, with the domain's refusal returned (for the form that asked)
/// and shown as a snackbar unless that form shows it, and the success confirmed in one line.
/// </summary>
public sealed class ChangeRunner(CurrentViewer currentViewer, ISnackbar snackbar)
{
    public const string NotAllowed = "You may not make this change.";

    public async Task<ChangeResult> RunAsync(Func<Viewer, Task> change, string? done = null, FormShows formShows = FormShows.Nothing)
    {
        ChangeResult refused;
        try
        {
            await change(await currentViewer.GetAsync());
            if (done is not null) snackbar.Add(done, Severity.Success);
            return ChangeResult.Done;
        }
        catch (ValidationException e)
        {
            refused = new ChangeResult(false, e.Message, [.. e.ValidationResult.MemberNames]);
        }
        catch (AccessDeniedException)
        {
            refused = new ChangeResult(false, NotAllowed, []);
        }
        var shownInForm = formShows == FormShows.EveryRefusal || (formShows == FormShows.FieldRefusals && refused.Fields.Count > 0);
        if (!shownInForm) snackbar.Add(refused.Error!, Severity.Error);
        return refused;
    }
}
