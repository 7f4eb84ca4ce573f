using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Sessions;
using ControlPanel.Domain.Tests.Requests;

namespace ControlPanel.Domain.Tests.Applications;

/// <summary>Views as the seed describes them: keys start on the default view, a session may change to another of the application's views.</summary>
public sealed class ApplicationViewsTests : IAsyncLifetime
{
    private CheckHarness harness = null!;

    public async Task InitializeAsync() => harness = await CheckHarness.CreateAsync();
    public Task DisposeAsync() { harness.Dispose(); return Task.CompletedTask; }

    private async Task<(Guid ApplicationId, SessionService.Opened Session)> OpenAsync()
    {
        var (_, applicationId, keys) = await harness.CreateApplicationAsync();
        var opened = (await harness.SessionService.OpenAsync(await harness.Check.CheckAsync(CheckHarness.With(keys)))).Session!;
        return (applicationId, opened);
    }

    [Fact]
    public async Task A_session_changes_only_to_a_view_on_the_applications_list()
    {
        var (applicationId, session) = await OpenAsync();
        Assert.Equal(Application.DefaultViewName, session.View);
        Assert.Equal([Application.DefaultViewName], (await harness.Views.ListAsync(CheckHarness.Admin, applicationId)).Select(v => v.Name));

        // A well-formed name that is not on the list: 309, as the guide's INVALID VIEW.
        Assert.False(await harness.SessionService.ChangeViewAsync(session.SessionId, "catalogue"));
        await harness.AddViewAsync(applicationId, "catalogue", "Products only");
        Assert.True(await harness.SessionService.ChangeViewAsync(session.SessionId, "catalogue"));
        Assert.False(await harness.SessionService.ChangeViewAsync(session.SessionId, "Catalogue")); // names are exact
        Assert.True(await harness.SessionService.ChangeViewAsync(session.SessionId, Application.DefaultViewName));

        var rows = await harness.Views.ListAsync(CheckHarness.Admin, applicationId);
        Assert.Equal(["default", "catalogue"], rows.Select(r => r.Name));
        Assert.True(rows[0].IsDefault);
        Assert.Equal("Products only", rows[1].Description);
        Assert.Equal(1, rows[0].LiveSessions);
    }

    [Fact]
    public async Task The_default_view_is_one_of_the_list_and_cannot_be_removed()
    {
        var (applicationId, _) = await OpenAsync();
        var application = (await harness.ApplicationService.GetAsync(CheckHarness.Admin, applicationId)).Application;
        var form = ApplicationService.Form.From(application);
        form.DefaultView = "catalogue";
        var refused = await Assert.ThrowsAsync<ValidationException>(() => harness.ApplicationService.UpdateAsync(CheckHarness.Admin, applicationId, form));
        Assert.Contains(nameof(ApplicationService.Form.DefaultView), refused.ValidationResult.MemberNames);

        await harness.AddViewAsync(applicationId, "catalogue");
        await harness.ApplicationService.UpdateAsync(CheckHarness.Admin, applicationId, form);
        Assert.Equal("catalogue", harness.Applications.Find(applicationId)!.DefaultView);

        var error = await Assert.ThrowsAsync<ValidationException>(() => harness.Views.RemoveAsync(CheckHarness.Admin, applicationId, "catalogue"));
        Assert.Contains("default view", error.Message);
    }

    [Fact]
    public async Task A_view_live_sessions_use_is_refused_removal_until_they_expire_then_it_answers_309()
    {
        var (applicationId, session) = await OpenAsync();
        await harness.AddViewAsync(applicationId, "catalogue");
        Assert.True(await harness.SessionService.ChangeViewAsync(session.SessionId, "catalogue"));

        var error = await Assert.ThrowsAsync<ValidationException>(() => harness.Views.RemoveAsync(CheckHarness.Admin, applicationId, "catalogue"));
        Assert.Contains("1 live session uses \"catalogue\"", error.Message);

        harness.Clock.Advance(Session.Lifetime);
        await harness.Views.RemoveAsync(CheckHarness.Admin, applicationId, "catalogue");
        Assert.DoesNotContain("catalogue", (IReadOnlySet<string>)harness.Applications.Find(applicationId)!.Views);

        var keys = await harness.KeyService.RotateAsync(CheckHarness.Admin, applicationId, Domain.Keys.RotationGrace.Immediately);
        var fresh = (await harness.SessionService.OpenAsync(await harness.Check.CheckAsync(CheckHarness.With(keys)))).Session!;
        Assert.False(await harness.SessionService.ChangeViewAsync(fresh.SessionId, "catalogue"));
    }

    [Fact]
    public async Task Views_are_changed_only_by_those_who_may_change_the_application_and_every_change_is_audited()
    {
        var (applicationId, _) = await OpenAsync();
        var support = new Viewer("support-1", "Sam Support", Roles.Support, null);
        var stranger = new Viewer("owner-x", "Olga Other", Roles.Owner, Guid.NewGuid());

        Assert.Single(await harness.Views.ListAsync(support, applicationId));
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Views.AddAsync(support, applicationId, new() { Name = "catalogue" }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Views.RemoveAsync(support, applicationId, Application.DefaultViewName));
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Views.ListAsync(stranger, applicationId));
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Views.AddAsync(stranger, applicationId, new() { Name = "catalogue" }));

        await harness.AddViewAsync(applicationId, "catalogue");
        await Assert.ThrowsAsync<ValidationException>(() => harness.AddViewAsync(applicationId, "catalogue"));
        await Assert.ThrowsAsync<ValidationException>(() => harness.AddViewAsync(applicationId, "no/slashes"));
        await harness.Views.DescribeAsync(CheckHarness.Admin, applicationId, "catalogue", "Products only");
        await harness.Views.RemoveAsync(CheckHarness.Admin, applicationId, "catalogue");

        var audit = new AuditLog(harness.Databases);
        var changes = (await audit.SearchAsync(CheckHarness.Admin, new AuditLog.Filter())).Entries
            .Where(e => e.Action == AuditActions.ApplicationViewsChanged).Select(e => e.Changes).ToList();
        Assert.Equal(["Removed view \"catalogue\"", "View \"catalogue\": description \"\" → \"Products only\"", "Added view \"catalogue\""], changes);
    }
}
