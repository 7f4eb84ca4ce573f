using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Resources;
using ControlPanel.Domain.Tests.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Domain.Tests.Resources;

public sealed class ResourceServiceTests : IAsyncLifetime
{
    private static readonly Viewer Support = new("support-1", "Sam Support", Roles.Support, null);
    private static readonly Viewer Owner = new("owner-1", "Olive Owner", Roles.Owner, Guid.NewGuid());

    private CheckHarness harness = null!;
    private ResourceService Service => harness.Resources;

    public async Task InitializeAsync() => harness = await CheckHarness.CreateAsync();
    public Task DisposeAsync() { harness.Dispose(); return Task.CompletedTask; }

    private static ResourceService.Form Form(string method, string path) => new() { Method = method, Path = path };

    [Fact]
    public async Task The_catalogue_starts_with_the_default_resource_only()
    {
        var catalogue = await Service.ListAsync(Support);
        var only = Assert.Single(catalogue.Resources);
        Assert.True(only.IsDefault);
        Assert.Equal("any /**", only.Title);
        Assert.True(only.Counted);
        Assert.Empty(catalogue.Warnings);
    }

    [Theory]
    [InlineData("BREW", "/v1/chats", "Method")]
    [InlineData("", "/v1/chats", "Method")]
    [InlineData("GET", "v1/chats", "Path")]
    [InlineData("GET", "", "Path")]
    [InlineData("GET", "/v1/**/chats", "Path")]
    [InlineData("GET", "/v1/{id", "Path")]
    [InlineData("GET", "/v1/ch ats", "Path")]
    [InlineData("GET", "/v1/../chats", "Path")]
    [InlineData("GET", "/v1/chats?x=1", "Path")]
    public async Task Invalid_forms_are_refused_at_their_field(string method, string path, string field)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => Service.CreateAsync(CheckHarness.Admin, Form(method, path)));
        Assert.Equal([field], e.ValidationResult.MemberNames);
        Assert.Single((await Service.ListAsync(Support)).Resources);
    }

    [Fact]
    public async Task A_limit_out_of_range_is_refused_at_its_field()
    {
        var form = Form("GET", "/v1/chats");
        form.StagingPerUser = 0;
        var e = await Assert.ThrowsAsync<ValidationException>(() => Service.CreateAsync(CheckHarness.Admin, form));
        Assert.Equal([nameof(ResourceService.Form.StagingPerUser)], e.ValidationResult.MemberNames);
    }

    [Fact]
    public async Task A_pattern_that_could_never_be_reached_is_refused()
    {
        await Service.CreateAsync(CheckHarness.Admin, Form("GET", "/v1/chats/{id}"));
        var e = await Assert.ThrowsAsync<ValidationException>(() => Service.CreateAsync(CheckHarness.Admin, Form("get", "/V1/chats/*/")));
        Assert.Equal([nameof(ResourceService.Form.Path)], e.ValidationResult.MemberNames);
        Assert.Contains("GET /v1/chats/{id}", e.Message);
        await Assert.ThrowsAsync<ValidationException>(() => Service.CreateAsync(CheckHarness.Admin, Form("*", "/**")));
    }

    [Fact]
    public async Task Overlapping_patterns_are_pointed_out_and_special_cases_are_not()
    {
        var chats = await Service.CreateAsync(CheckHarness.Admin, Form("GET", "/v1/chats/*"));
        var messages = await Service.CreateAsync(CheckHarness.Admin, Form("*", "/v1/*/messages"));
        await Service.CreateAsync(CheckHarness.Admin, Form("GET", "/v1/chats/{id}/archive")); // inside /v1/chats/**? no: a special case of nothing listed
        await Service.CreateAsync(CheckHarness.Admin, Form("*", "/v1/**"));

        var catalogue = await Service.ListAsync(Support);
        Assert.Equal([chats, messages], catalogue.Warnings.Select(w => w.ResourceId));
        Assert.Contains("calls that match both are GET /v1/chats/*", catalogue.Warnings[0].Message);
        // Listed in the order calls are matched: the most specific first, the default last.
        Assert.Equal(["GET /v1/chats/{id}/archive", "GET /v1/chats/*", "any /v1/*/messages", "any /v1/**", "any /**"],
            catalogue.Resources.Select(r => r.Title));
    }

    [Fact]
    public async Task Only_admins_change_the_catalogue_and_every_role_reads_it()
    {
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.CreateAsync(Support, Form("GET", "/v1/chats")));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.CreateAsync(Owner, Form("GET", "/v1/chats")));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.CreateAsync(CheckHarness.Admin with { ReadOnly = true }, Form("GET", "/v1/chats")));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.DeleteAsync(Support, Resource.DefaultId));
        Assert.Single((await Service.ListAsync(Owner)).Resources);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.ListAsync(Viewer.System("test")));
    }

    [Fact]
    public async Task Changes_are_audited_and_in_force_at_once()
    {
        var id = await Service.CreateAsync(CheckHarness.Admin, Form("GET", "/v1/chats/{id}"));
        var catalogue = harness.Services.GetRequiredService<ResourceCatalogue>();
        Assert.Equal(id, catalogue.Match("GET", "/v1/chats/1").Id);

        var form = ResourceService.Form.From((await Service.FindAsync(Support, id))!);
        form.SessionRequired = true;
        form.LivePerUser = 50;
        await Service.UpdateAsync(CheckHarness.Admin, id, form);
        Assert.True(catalogue.Match("GET", "/v1/chats/1").SessionRequired);

        await Service.DeleteAsync(CheckHarness.Admin, id);
        Assert.True(catalogue.Match("GET", "/v1/chats/1").IsDefault);

        await using var db = harness.Database.CreateContext();
        var entries = await db.AuditEntries.OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([AuditActions.ResourceCreated, AuditActions.ResourceUpdated, AuditActions.ResourceDeleted], entries.Select(e => e.Action));
        Assert.Contains("no session needed", entries[1].Changes);
        Assert.Contains("→ GET /v1/chats/{id} (session required", entries[1].Changes);
        Assert.Contains("Live app/50", entries[1].Changes);
    }

    [Fact]
    public async Task The_default_resource_keeps_its_pattern_and_cannot_be_deleted()
    {
        var form = Form("GET", "/v1/elsewhere");
        form.Counted = false;
        await Service.UpdateAsync(CheckHarness.Admin, Resource.DefaultId, form);

        var saved = Assert.Single((await Service.ListAsync(Support)).Resources);
        Assert.Equal(("*", "/**", false), (saved.Method, saved.Path, saved.Counted));
        await Assert.ThrowsAsync<ValidationException>(() => Service.DeleteAsync(CheckHarness.Admin, Resource.DefaultId));
    }
}
