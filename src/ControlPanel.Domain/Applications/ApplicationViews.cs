using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Applications;

/// <summary>
/// Each application's list of views: listing, adding, describing and removing. The default view is always on the list; a view
/// that live sessions use, or the default view, cannot be removed. Every change is audited and goes through the change feed,
/// so the request check's in-memory directory (which answers view changes) follows without a database call on the check.
/// </summary>
public sealed class ApplicationViews(IDbContextFactory<ControlPanelDbContext> databases, ChangeFeed changes, TimeProvider clock)
{
    public sealed record Row(string Name, string Description, bool IsDefault, int LiveSessions, DateTime CreatedAt, string CreatedBy);

    public sealed class Form
    {
        [Required(ErrorMessage = "Enter a view name.")]
        [StringLength(Application.ViewMaxLength, ErrorMessage = "The view name is at most 100 characters.")]
        [RegularExpression(Application.ViewPattern, ErrorMessage = "The view name uses letters, digits, spaces, '.', '_' or '-'.")]
        public string Name { get; set; } = "";

        [StringLength(ApplicationView.DescriptionMaxLength, ErrorMessage = "The description is at most 200 characters.")]
        public string? Description { get; set; }
    }

    /// <summary>The application's views, the default first, each with how many live sessions use it now.</summary>
    public async Task<IReadOnlyList<Row>> ListAsync(Viewer viewer, Guid applicationId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var application = await db.Applications.AsNoTracking().FindForReadAsync(viewer, a => a.Id == applicationId);
        var now = clock.GetUtcNow().UtcDateTime;
        var views = await db.ApplicationViews.AsNoTracking().Where(v => v.ApplicationId == applicationId).ToListAsync();
        var live = await db.Sessions.Where(s => s.ApplicationId == applicationId && s.ExpiresAt > now)
            .GroupBy(s => s.View).Select(g => new { View = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.View, g => g.Count);
        return views
            .Select(v => new Row(v.Name, v.Description, v.Name == application.DefaultView, live.GetValueOrDefault(v.Name), v.CreatedAt, v.CreatedBy))
            .OrderByDescending(r => r.IsDefault).ThenBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
    }

    /// <summary>Adds a view; refused when the application already has one of that name.</summary>
    public async Task AddAsync(Viewer viewer, Guid applicationId, Form form)
    {
        FormValidation.ThrowIfInvalid(form);
        await using var db = await databases.CreateDbContextAsync();
        var application = await db.Applications.FindForChangeAsync(viewer, a => a.Id == applicationId);
        var name = form.Name.Trim();
        if (await db.ApplicationViews.AnyAsync(v => v.ApplicationId == applicationId && v.Name == name))
            throw new ValidationException(new ValidationResult($"There is already a view named \"{name}\".", [nameof(Form.Name)]), null, name);
        var now = clock.GetUtcNow().UtcDateTime;
        var description = form.Description?.Trim() ?? "";
        db.ApplicationViews.Add(new ApplicationView { ApplicationId = applicationId, Name = name, Description = description, CreatedAt = now, CreatedBy = viewer.Name });
        AuditLog.Record(db, viewer, now, AuditActions.ApplicationViewsChanged, application.AccountId, application.Id,
            $"Added view \"{name}\"" + (description.Length > 0 ? $" ({description})" : ""));
        await changes.SaveAsync(db, ChangeTopic.Application, application.Id);
    }

    /// <summary>Changes a view's description.</summary>
    public async Task DescribeAsync(Viewer viewer, Guid applicationId, string name, string? description)
    {
        description = description?.Trim() ?? "";
        if (description.Length > ApplicationView.DescriptionMaxLength)
            throw new ValidationException(new ValidationResult("The description is at most 200 characters.", [nameof(Form.Description)]), null, description);
        await using var db = await databases.CreateDbContextAsync();
        var application = await db.Applications.FindForChangeAsync(viewer, a => a.Id == applicationId);
        var view = await db.ApplicationViews.SingleOrDefaultAsync(v => v.ApplicationId == applicationId && v.Name == name)
            ?? throw new ValidationException($"There is no view named \"{name}\".");
        if (view.Description == description) return;
        AuditLog.Record(db, viewer, clock.GetUtcNow().UtcDateTime, AuditActions.ApplicationViewsChanged, application.AccountId, application.Id,
            $"View \"{name}\": description \"{view.Description}\" → \"{description}\"");
        view.Description = description;
        await changes.SaveAsync(db, ChangeTopic.Application, application.Id);
    }

    /// <summary>
    /// Removes a view. Refused for the default view (choose another default first) and while live sessions use it: they would
    /// be left on a view that no longer exists. Sessions last 2 hours, so a view stops being used at the latest 2 hours after
    /// its last session changed to it; one that is removed can no longer be changed to (309).
    /// </summary>
    public async Task RemoveAsync(Viewer viewer, Guid applicationId, string name)
    {
        await using var db = await databases.CreateDbContextAsync();
        var application = await db.Applications.FindForChangeAsync(viewer, a => a.Id == applicationId);
        var view = await db.ApplicationViews.SingleOrDefaultAsync(v => v.ApplicationId == applicationId && v.Name == name)
            ?? throw new ValidationException($"There is no view named \"{name}\".");
        if (application.DefaultView == name)
            throw new ValidationException($"\"{name}\" is the default view: choose another default view before removing it.");
        var now = clock.GetUtcNow().UtcDateTime;
        var live = await db.Sessions.CountAsync(s => s.ApplicationId == applicationId && s.View == name && s.ExpiresAt > now);
        if (live > 0)
        {
            var last = await db.Sessions.Where(s => s.ApplicationId == applicationId && s.View == name && s.ExpiresAt > now).MaxAsync(s => s.ExpiresAt);
            throw new ValidationException(
                $"{live} live session{(live == 1 ? " uses" : "s use")} \"{name}\". It can be removed once they change view or expire (by {last:yyyy-MM-dd HH:mm} UTC).");
        }
        db.ApplicationViews.Remove(view);
        AuditLog.Record(db, viewer, now, AuditActions.ApplicationViewsChanged, application.AccountId, application.Id, $"Removed view \"{name}\"");
        await changes.SaveAsync(db, ChangeTopic.Application, application.Id);
    }
}
