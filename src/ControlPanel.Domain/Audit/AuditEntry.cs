namespace ControlPanel.Domain.Audit;

/// <summary>One change, who made it and from where. Never holds key material.</summary>
public class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public required string ActorUserId { get; set; }
    public required string ActorName { get; set; }
    public Guid? AccountId { get; set; }
    public Guid? ApplicationId { get; set; }
    /// <summary>What happened, from <see cref="AuditActions"/>.</summary>
    public required string Action { get; set; }
    /// <summary>Before and after, in words a person reads.</summary>
    public required string Changes { get; set; }
    public string? ClientIp { get; set; }
}

/// <summary>The actions the audit log records.</summary>
public static class AuditActions
{
    public const string ApplicationCreated = "application.created";
    public const string ApplicationRenamed = "application.renamed";
    public const string ApplicationEnvironmentChanged = "application.environment_changed";
    public const string ApplicationStatusChanged = "application.status_changed";
    public const string ApplicationViewChanged = "application.view_changed";
    public const string ApplicationViewsChanged = "application.views_changed";
    public const string KeysRotated = "keys.rotated";
    public const string KeysRevoked = "keys.revoked";
    public const string ApplicationOriginsChanged = "application.origins_changed";
    public const string ApplicationQuotaChanged = "application.quota_changed";
    public const string ApplicationRateLimitsChanged = "application.rate_limits_changed";
    public const string ApplicationDeleted = "application.deleted";
    public const string AccountLocked = "account.locked";
    public const string AccountUnlocked = "account.unlocked";
    public const string AccountDeleted = "account.deleted";
    public const string AccountRestored = "account.restored";
    public const string AccountErased = "account.erased";
    public const string WebhookEndpointCreated = "webhook.endpoint_created";
    public const string WebhookEndpointUpdated = "webhook.endpoint_updated";
    public const string WebhookEndpointDisabled = "webhook.endpoint_disabled";
    public const string WebhookEndpointDeleted = "webhook.endpoint_deleted";
    public const string WebhookSecretRotated = "webhook.secret_rotated";
    public const string WebhookVerificationSecretSet = "webhook.verification_secret_set";
    public const string WebhookEventTypeSaved = "webhook.event_type_saved";
    public const string WebhookReplayStarted = "webhook.replay_started";
    public const string WebhookReplayCancelled = "webhook.replay_cancelled";
    public const string StaffInvited = "staff.invited";
    public const string StaffInvitationResent = "staff.invitation_resent";
    public const string StaffInvitationRevoked = "staff.invitation_revoked";
    public const string StaffInvitationAccepted = "staff.invitation_accepted";
    public const string AccessTokenCreated = "access_token.created";
    public const string AccessTokenUsed = "access_token.used";
    public const string AccessTokenRevoked = "access_token.revoked";
    public const string PasswordResetSent = "account.password_reset_sent";
    public const string PasswordReset = "account.password_reset";
    public const string PasswordChanged = "account.password_changed";
    public const string EmailConfirmed = "account.email_confirmed";
    public const string EmailChanged = "account.email_changed";
    public const string UserDeletedThemselves = "account.user_deleted_themselves";
    public const string StaffRoleChanged = "staff.role_changed";
    public const string UserDisabled = "account.user_disabled";
    public const string UserEnabled = "account.user_enabled";
    public const string StaffRemoved = "staff.removed";
    public const string SignInsEnded = "account.sign_ins_ended";
    public const string TwoFactorDisabled = "account.two_factor_disabled";
    public const string PasskeyAdded = "account.passkey_added";
    public const string PasskeyRemoved = "account.passkey_removed";
    public const string ResourceCreated = "resource.created";
    public const string ResourceUpdated = "resource.updated";
    public const string ResourceDeleted = "resource.deleted";
    public const string SessionEnded = "session.ended";
    public const string MemberInvited = "account.member_invited";
    public const string MemberInvitationResent = "account.member_invitation_resent";
    public const string MemberInvitationRevoked = "account.member_invitation_revoked";
    public const string MemberJoined = "account.member_joined";
    public const string MemberRoleChanged = "account.member_role_changed";
    public const string MemberRemoved = "account.member_removed";

    public static readonly IReadOnlyList<string> All =
    [
        ApplicationCreated, ApplicationRenamed, ApplicationEnvironmentChanged, ApplicationStatusChanged,
        ApplicationViewChanged, ApplicationViewsChanged, KeysRotated, KeysRevoked, ApplicationOriginsChanged, ApplicationQuotaChanged,
        ApplicationRateLimitsChanged, ApplicationDeleted, AccountLocked, AccountUnlocked, AccountDeleted, AccountRestored, AccountErased,
        WebhookEndpointCreated, WebhookEndpointUpdated, WebhookEndpointDisabled, WebhookEndpointDeleted, WebhookSecretRotated, WebhookVerificationSecretSet,
        StaffInvited, StaffInvitationResent, StaffInvitationRevoked, StaffInvitationAccepted,
        StaffRoleChanged, UserDisabled, UserEnabled, StaffRemoved, SignInsEnded,
        AccessTokenCreated, AccessTokenUsed, AccessTokenRevoked,
        ResourceCreated, ResourceUpdated, ResourceDeleted, SessionEnded,
        MemberInvited, MemberInvitationResent, MemberInvitationRevoked, MemberJoined, MemberRoleChanged, MemberRemoved,
    ];
}
