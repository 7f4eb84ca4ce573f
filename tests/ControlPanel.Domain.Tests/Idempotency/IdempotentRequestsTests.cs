using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Idempotency;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Tests.Keys;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Tests.Idempotency;

/// <summary>The write under test is a real key rotation, so "ran once" is counted in key pairs.</summary>
public sealed class IdempotentRequestsTests
{
    private const string Rotate = "POST /api/v1/manage/applications/1/keys/rotate\n{\"grace\":\"OneHour\"}";

    private static async Task<(IdempotentRequests Requests, Guid TokenId)> RequestsAsync(KeyTestBed bed)
    {
        await using (var db = bed.Database.CreateContext())
        {
            db.Users.Add(new ControlPanelUser { Id = bed.Owner.UserId, UserName = "olivia@tokens.test", AccountId = bed.Owner.AccountId });
            await db.SaveChangesAsync();
        }
        var issued = await new AccessTokenService(bed.Database.Factory, bed.Clock)
            .CreateAsync(bed.Owner, new AccessTokenService.Form { Name = "deploy", Scope = AccessTokenScope.ReadWrite });
        return (new IdempotentRequests(bed.Database.Factory, new EphemeralDataProtectionProvider(), Options.Create(new AccessTokenOptions()), bed.Clock), issued.Id);
    }

    private static Func<Task<string?>> Rotation(KeyTestBed bed, Viewer viewer, Guid applicationId) =>
        async () => (await bed.Keys.RotateAsync(viewer, applicationId, RotationGrace.OneHour)).ApplicationKey;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Retries_racing_with_one_key_write_once_and_the_kept_answer_is_encrypted(DatabaseProvider provider)
    {
        await using var bed = await KeyTestBed.CreateAsync(provider);
        var application = await bed.CreateApplicationAsync();
        var (requests, tokenId) = await RequestsAsync(bed);
        var rotate = Rotation(bed, bed.Owner, application.Application.Id);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            try { return await requests.RunOnceAsync(tokenId, "deploy-7", Rotate, "rotation", rotate); }
            catch (ValidationException e) when (e.Message == "A rotation with this Idempotency-Key is still under way. Retry in a moment.") { return null; }
        })));

        var answered = attempts.OfType<IdempotentRequests.Result>().ToList();
        Assert.NotEmpty(answered);
        Assert.Single(answered.Select(a => a.Answer).Distinct());
        Assert.Single(answered, a => !a.Replayed);
        Assert.Equal(2, (await bed.Keys.ListAsync(bed.Owner, application.Application.Id)).Count);

        var late = await requests.RunOnceAsync(tokenId, "deploy-7", Rotate, "rotation", rotate);
        Assert.True(late!.Replayed);
        Assert.Equal(answered[0].Answer, late.Answer);
        await using var db = bed.Database.CreateContext();
        var stored = await db.IdempotentRequests.SingleAsync();
        Assert.DoesNotContain(late.Answer, stored.ProtectedAnswer);
        Assert.DoesNotContain("deploy-7", stored.KeyHash);
        Assert.DoesNotContain("grace", stored.RequestHash);
    }

    [Fact]
    public async Task Another_request_under_a_used_key_is_refused_and_writes_nothing()
    {
        await using var bed = await KeyTestBed.CreateAsync();
        var application = await bed.CreateApplicationAsync();
        var (requests, tokenId) = await RequestsAsync(bed);
        var rotate = Rotation(bed, bed.Owner, application.Application.Id);
        await requests.RunOnceAsync(tokenId, "k", Rotate, "rotation", rotate);

        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            requests.RunOnceAsync(tokenId, "k", Rotate.Replace("OneHour", "SevenDays"), "rotation", rotate));
        Assert.Equal("This Idempotency-Key was used for a different rotation. Use a new key for each rotation.", refused.Message);
        Assert.Equal(2, (await bed.Keys.ListAsync(bed.Owner, application.Application.Id)).Count);
    }

    [Fact]
    public async Task A_refused_write_frees_its_key_for_a_corrected_retry()
    {
        await using var bed = await KeyTestBed.CreateAsync();
        var application = await bed.CreateApplicationAsync();
        var (requests, tokenId) = await RequestsAsync(bed);

        // Thrown by the domain, or answered as a refusal (null): either way nothing was kept.
        await Assert.ThrowsAsync<AccessDeniedException>(() => requests.RunOnceAsync(tokenId, "k", Rotate, "rotation", Rotation(bed, bed.OtherOwner, application.Application.Id)));
        Assert.Null(await requests.RunOnceAsync(tokenId, "k", Rotate, "rotation", () => Task.FromResult<string?>(null)));
        var rotated = await requests.RunOnceAsync(tokenId, "k", Rotate, "rotation", Rotation(bed, bed.Owner, application.Application.Id));
        Assert.False(rotated!.Replayed);
        Assert.Equal(2, (await bed.Keys.ListAsync(bed.Owner, application.Application.Id)).Count);
        await Assert.ThrowsAsync<ValidationException>(() => requests.RunOnceAsync(tokenId, new string('x', 201), Rotate, "rotation", Rotation(bed, bed.Owner, application.Application.Id)));
        Assert.Equal(2, (await bed.Keys.ListAsync(bed.Owner, application.Application.Id)).Count);
    }

    [Fact]
    public async Task The_retention_job_sweeps_expired_answers_and_keeps_live_ones()
    {
        await using var bed = await KeyTestBed.CreateAsync();
        var application = await bed.CreateApplicationAsync();
        var (requests, tokenId) = await RequestsAsync(bed);
        var rotate = Rotation(bed, bed.Owner, application.Application.Id);
        var window = new AccessTokenOptions().IdempotencyWindow;
        await requests.RunOnceAsync(tokenId, "old", Rotate, "rotation", rotate);
        bed.Clock.Advance(window / 2);
        await requests.RunOnceAsync(tokenId, "new", Rotate, "rotation", rotate);
        bed.Clock.Advance(window / 2 + TimeSpan.FromMinutes(1));

        var retention = new HistoryRetention(bed.Database.Factory, Options.Create(new ControlPanel.Domain.Webhooks.WebhookOptions()),
            Options.Create(new ControlPanel.Domain.Audit.AuditOptions()), bed.Clock);
        var deleted = await retention.DeleteExpiredAsync();

        Assert.Equal(1, deleted.IdempotentRequests);
        await using var db = bed.Database.CreateContext();
        Assert.Single(await db.IdempotentRequests.ToListAsync());
        Assert.True((await requests.RunOnceAsync(tokenId, "new", Rotate, "rotation", rotate))!.Replayed);
    }
}
