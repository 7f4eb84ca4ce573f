namespace ControlPanel.Domain.Data;

/// <summary>What a <see cref="Change"/> is about, and so what the instances read again. Stored as its name: never rename.</summary>
public enum ChangeTopic
{
    /// <summary>
    /// Anything in the directory (applications, key pairs, account locks): the key index and the application directory
    /// reload whole. Only the recovery path and the start need it; a change of one application or account says so
    /// (<see cref="Application"/>, <see cref="Account"/>) and is applied alone.
    /// </summary>
    Directory,

    /// <summary>One session (its view): the instances that hold it reload it.</summary>
    Session,

    /// <summary>One user's sign-ins ended (new security stamp, disabled, removed, role lost): their open circuits re-check at once.</summary>
    UserSignIns,

    /// <summary>The resource catalogue: every instance rebuilds its route table.</summary>
    Resources,

    // Numbered apart from the topics above; only the name is stored, so the numbers matter to nothing but readers.

    /// <summary>One application (the subject): its settings, views, allowlist, limits, quota or key pairs. Covered by <see cref="Directory"/>.</summary>
    Application = 10,

    /// <summary>One account (the subject): its lock, which every one of its applications carries. Covered by <see cref="Directory"/>.</summary>
    Account = 11,
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
