using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Tests.Keys;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Tests.AccessTokens;

public sealed class IdempotentRotationsTests
{
    private static async Task<(IdempotentRotations Rotations, AccessTokenService.Use Use)> RotationsAsync(KeyTestBed bed)
    {
        await using (var db = bed.Database.CreateContext())
        {
            db.Users.Add(new ControlPanelUser { Id = bed.Owner.UserId, UserName = "olivia@tokens.test", AccountId = bed.Owner.AccountId });
            await db.SaveChangesAsync();
        }
        var issued = await new AccessTokenService(bed.Database.Factory, bed.Clock)
            .CreateAsync(bed.Owner, new AccessTokenService.Form { Name = "deploy", Scope = AccessTokenScope.ReadWrite });
        var rotations = new IdempotentRotations(bed.Database.Factory, bed.Keys, new EphemeralDataProtectionProvider(), Options.Create(new AccessTokenOptions()), bed.Clock);
        return (rotations, new AccessTokenService.Use(issued.Id, "deploy", AccessTokenScope.ReadWrite, bed.Owner));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Retries_racing_with_one_key_rotate_once_and_the_stored_answer_is_encrypted(DatabaseProvider provider)
    {
        await using var bed = await KeyTestBed.CreateAsync(provider);
        var application = await bed.CreateApplicationAsync();
        var (rotations, use) = await RotationsAsync(bed);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            try { return (IdempotentRotations.Result?)await rotations.RotateAsync(use, application.Application.Id, RotationGrace.OneHour, "deploy-7"); }
            catch (ValidationException e) when (e.Message.Contains("still under way")) { return null; }
        })));

        var answered = attempts.OfType<IdempotentRotations.Result>().ToList();
        Assert.NotEmpty(answered);
        Assert.Single(answered.Select(a => a.Keys.ApplicationKey).Distinct());
        Assert.Single(answered, a => !a.Replayed);
        var pairs = await bed.Keys.ListAsync(bed.Owner, application.Application.Id);
        Assert.Equal(2, pairs.Count);

        var late = await rotations.RotateAsync(use, application.Application.Id, RotationGrace.OneHour, "deploy-7");
        Assert.True(late.Replayed);
        Assert.Equal(answered[0].Keys.ConsumerKey, late.Keys.ConsumerKey);
        await using var db = bed.Database.CreateContext();
        var stored = await db.IdempotentRotations.SingleAsync();
        Assert.DoesNotContain(late.Keys.ApplicationKey, stored.ProtectedAnswer);
        Assert.DoesNotContain(late.Keys.ConsumerKey, stored.ProtectedAnswer);
        Assert.DoesNotContain("deploy-7", stored.KeyHash);
    }

    [Fact]
    public async Task A_refused_rotation_frees_its_key_for_a_corrected_retry()
    {
        await using var bed = await KeyTestBed.CreateAsync();
        var application = await bed.CreateApplicationAsync();
        var (rotations, use) = await RotationsAsync(bed);
        var other = use with { Viewer = bed.OtherOwner };

        await Assert.ThrowsAsync<AccessDeniedException>(() => rotations.RotateAsync(other, application.Application.Id, RotationGrace.OneHour, "k"));
        var rotated = await rotations.RotateAsync(use, application.Application.Id, RotationGrace.OneHour, "k");
        Assert.False(rotated.Replayed);
        Assert.Equal(2, (await bed.Keys.ListAsync(bed.Owner, application.Application.Id)).Count);
        await Assert.ThrowsAsync<ValidationException>(() => rotations.RotateAsync(use, application.Application.Id, RotationGrace.OneHour, new string('x', 201)));
    }

    [Fact]
    public async Task The_retention_job_sweeps_expired_answers_and_keeps_live_ones()
    {
        await using var bed = await KeyTestBed.CreateAsync();
        var application = await bed.CreateApplicationAsync();
        var (rotations, use) = await RotationsAsync(bed);
        var window = new AccessTokenOptions().IdempotencyWindow;
        await rotations.RotateAsync(use, application.Application.Id, RotationGrace.OneHour, "old");
        bed.Clock.Advance(window / 2);
        await rotations.RotateAsync(use, application.Application.Id, RotationGrace.OneHour, "new");
        bed.Clock.Advance(window / 2 + TimeSpan.FromMinutes(1));

        var retention = new HistoryRetention(bed.Database.Factory, Options.Create(new ControlPanel.Domain.Webhooks.WebhookOptions()),
            Options.Create(new ControlPanel.Domain.Audit.AuditOptions()), bed.Clock);
        var deleted = await retention.DeleteExpiredAsync();

        Assert.Equal(1, deleted.IdempotentRotations);
        await using var db = bed.Database.CreateContext();
        Assert.Single(await db.IdempotentRotations.ToListAsync());
        Assert.True((await rotations.RotateAsync(use, application.Application.Id, RotationGrace.OneHour, "new")).Replayed);
    }
}
