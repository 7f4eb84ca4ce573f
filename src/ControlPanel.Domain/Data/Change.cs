namespace ControlPanel.Domain.Data;

/// <summary>What a <see cref="Change"/> is about, and so what the instances reload.</summary>
public enum ChangeTopic
{
    /// <summary>Applications, key pairs, allowlists, limits, quotas or account locks: the key index and the application directory reload.</summary>
    Directory,

    /// <summary>One session (its view): the instances that hold it reload it.</summary>
    Session,

    /// <summary>One user's sign-ins ended (new security stamp, disabled, removed, role lost): their open circuits re-check at once.</summary>
    UserSignIns,

    /// <summary>The resource catalogue: every instance rebuilds its route table.</summary>
    Resources,
}

/// <summary>
/// One saved change the request check's in-memory state must follow, stored so that every instance
/// sees it (<see cref="ChangeFeed"/>). Rows are kept for <see cref="ChangeFeed.Retention"/>.
/// </summary>
public class Change
{
    public long Id { get; set; }
    public ChangeTopic Topic { get; set; }
    public Guid? SubjectId { get; set; }

    /// <summary>The instance that made the change (it applies it right after the commit).</summary>
    public Guid Origin { get; set; }

    public DateTime At { get; set; }
}
