using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Applications;

/// <summary>Creating, listing and changing applications. Every call checks the viewer's account and role.</summary>
public sealed class ApplicationService(IDbContextFactory<ControlPanelDbContext> databases, KeyService keys, ChangeFeed changes, TimeProvider clock)
{
    public sealed record Summary(
        Guid Id, Guid AccountId, string AccountName, string Name, ApplicationEnvironment Environment,
        bool IsOnline, DateTime? KeyLastUsedAt, int LiveKeyPairs, bool SuspendedByAdmin = false);

    public sealed record Details(Application Application, string AccountName, bool AccountLocked, bool CanChange);

    public sealed class Form
    {
        [Required(ErrorMessage = "Enter a name.")]
        [StringLength(Application.NameMaxLength, MinimumLength = Application.NameMinLength, ErrorMessage = "The name must be 2 to 80 characters.")]
        public string Name { get; set; } = "";

        public ApplicationEnvironment Environment { get; set; } = ApplicationEnvironment.Development;

        public bool IsOnline { get; set; } = true;

        [Required(ErrorMessage = "Enter a default view.")]
        [StringLength(Application.ViewMaxLength, ErrorMessage = "The view name is at most 100 characters.")]
        [RegularExpression(Application.ViewPattern, ErrorMessage = "The view name uses letters, digits, spaces, '.', '_' or '-'.")]
        public string DefaultView { get; set; } = Application.DefaultViewName;

        /// <summary>The account to create in: an owner's own, or any account for an admin.</summary>
        public Guid? AccountId { get; set; }

        public static Form From(Application application) => new()
        {
            Name = application.Name,
            Environment = application.Environment,
            IsOnline = application.IsOnline,
            DefaultView = application.DefaultView,
            AccountId = application.AccountId,
        };
    }

    public sealed record Created(Application Application, IssuedKeys Keys);

    /// <summary>Owners and Developers create in the account they act in, Admins in any; Support and the Viewer role create nothing.</summary>
    public static bool CanCreate(Viewer viewer) => viewer.CanCreate;

    public async Task<IReadOnlyList<Summary>> ListAsync(Viewer viewer, Guid? accountId = null)
    {
        await using var db = await databases.CreateDbContextAsync();
        var applications = db.Applications.AsNoTracking().VisibleTo(viewer);
        if (accountId is { } id) applications = applications.Where(a => a.AccountId == id);

        var now = clock.GetUtcNow().UtcDateTime;
        var rows = await applications
            .Select(a => new
            {
                a.Id,
                a.AccountId,
                AccountName = a.Account!.Name,
                a.Name,
                a.Environment,
                a.IsOnline,
                a.SuspendedByAdmin,
                LastUsed = db.KeyPairs.Where(k => k.ApplicationId == a.Id).Max(k => k.LastUsedAt),
                Live = db.KeyPairs.Count(k => k.ApplicationId == a.Id && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now)),
            })
            .ToListAsync();
        return rows
            .Select(r => new Summary(r.Id, r.AccountId, r.AccountName, r.Name, r.Environment, r.IsOnline, r.LastUsed, r.Live, r.SuspendedByAdmin))
            .OrderBy(s => s.AccountName).ThenBy(s => s.Name, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
    }

    /// <summary>One application, or <see cref="AccessDeniedException"/> when it does not exist or is not the viewer's to see.</summary>
    public async Task<Details> GetAsync(Viewer viewer, Guid applicationId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var application = await db.Applications.AsNoTracking().Include(a => a.Account).FindForReadAsync(viewer, a => a.Id == applicationId);
        return new Details(application, application.Account!.Name, application.Account.IsLocked, viewer.CanChange(application.AccountId));
    }

    /// <summary>Creates the application and its first key pair, returned in plaintext this once.</summary>
    public async Task<Created> CreateAsync(Viewer viewer, Form form)
    {
        var id = AccountScope.AccountToCreateIn(viewer, form.AccountId);
        Validate(form);

        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await databases.CreateDbContextAsync();
        if (!await db.Accounts.AnyAsync(a => a.Id == id)) throw new AccessDeniedException();
        await keys.EnsureMayIssueKeysAsync(db, viewer);
        await EnsureNameIsFreeAsync(db, id, form.Name.Trim(), exceptApplicationId: null);

        var application = new Application
        {
            AccountId = id,
            Name = form.Name.Trim(),
            Environment = form.Environment,
            IsOnline = form.IsOnline,
            DefaultView = form.DefaultView.Trim(),
            CreatedAt = now,
            CreatedBy = viewer.Name,
        };
        db.Applications.Add(application);
        // The default view starts the application's list of views.
        db.ApplicationViews.Add(new ApplicationView { ApplicationId = application.Id, Name = application.DefaultView, CreatedAt = now, CreatedBy = viewer.Name });
        var issued = keys.Issue(db, application, viewer, now);
        AuditLog.Record(db, viewer, now, AuditActions.ApplicationCreated, id, application.Id,
            $"Created \"{application.Name}\" ({application.Environment}, {(application.IsOnline ? "online" : "offline")}, view \"{application.DefaultView}\"), key pair …{ApiKey.LastFour(issued.ApplicationKey)}");
        await changes.SaveAsync(db, ChangeTopic.Application, application.Id);
        return new Created(application, issued);
    }

    /// <summary>Renames, moves between environments, takes online or offline, or changes the default view (one of the application's views); each change is audited.</summary>
    public async Task<Application> UpdateAsync(Viewer viewer, Guid applicationId, Form form)
    {
        Validate(form);
        await using var db = await databases.CreateDbContextAsync();
        var application = await db.Applications.FindForChangeAsync(viewer, a => a.Id == applicationId);

        var now = clock.GetUtcNow().UtcDateTime;
        var name = form.Name.Trim();
        var view = form.DefaultView.Trim();
        if (name != application.Name)
        {
            await EnsureNameIsFreeAsync(db, application.AccountId, name, application.Id);
            AuditLog.Record(db, viewer, now, AuditActions.ApplicationRenamed, application.AccountId, application.Id, $"Name: \"{application.Name}\" → \"{name}\"");
            application.Name = name;
        }
        if (form.Environment != application.Environment)
        {
            AuditLog.Record(db, viewer, now, AuditActions.ApplicationEnvironmentChanged, application.AccountId, application.Id, $"Environment: {application.Environment} → {form.Environment}");
            application.Environment = form.Environment;
        }
        ApplicationStatus.Set(db, viewer, application, form.IsOnline, now);
        if (view != application.DefaultView)
        {
            if (!await db.ApplicationViews.AnyAsync(v => v.ApplicationId == application.Id && v.Name == view))
                throw new ValidationException(new ValidationResult($"There is no view named \"{view}\": add it to the application's views first.", [nameof(Form.DefaultView)]), null, view);
            AuditLog.Record(db, viewer, now, AuditActions.ApplicationViewChanged, application.AccountId, application.Id, $"Default view: \"{application.DefaultView}\" → \"{view}\"");
            application.DefaultView = view;
        }
        await changes.SaveAsync(db, ChangeTopic.Application, application.Id);
        return application;
    }

    /// <summary>
    /// Deletes the application (its account's Owners and Developers, or an Admin): it leaves every list and page, and its key
    /// pairs are unknown on every instance once the change feed carries it (within a second). Kept, marked deleted, for its
    /// usage history and audit log; its name is free again.
    /// </summary>
    public async Task DeleteAsync(Viewer viewer, Guid applicationId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var application = await db.Applications.FindForChangeAsync(viewer, a => a.Id == applicationId);
        var now = clock.GetUtcNow().UtcDateTime;
        application.DeletedAt = now;
        application.DeletedBy = viewer.Name;
        AuditLog.Record(db, viewer, now, AuditActions.ApplicationDeleted, application.AccountId, application.Id,
            $"Deleted \"{application.Name}\" ({application.Environment}); its keys stopped working");
        await changes.SaveAsync(db, ChangeTopic.Application, application.Id);
    }

    private static void Validate(Form form)
    {
        FormValidation.ThrowIfInvalid(form);
        if (!Enum.IsDefined(form.Environment)) throw new ValidationException("Choose Development, Staging or Live.");
    }

    private static async Task EnsureNameIsFreeAsync(ControlPanelDbContext db, Guid accountId, string name, Guid? exceptApplicationId)
    {
        // Case-insensitive in memory: SQLite's and PostgreSQL's collations differ, an account's applications are few.
        var names = await db.Applications.Where(a => a.AccountId == accountId && a.Id != exceptApplicationId).Select(a => a.Name).ToListAsync();
        // Names the field, so a form shows the message at the name.
        if (names.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)))
            throw new ValidationException(new ValidationResult($"An application named \"{name}\" already exists in this account. Choose another name.", [nameof(Form.Name)]), null, name);
    }
}
