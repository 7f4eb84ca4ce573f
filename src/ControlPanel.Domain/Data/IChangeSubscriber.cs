namespace ControlPanel.Domain.Data;

/// <summary>
/// In-memory state that follows the <see cref="ChangeFeed"/>. The feed is given every subscriber when it is made and calls
/// each for every change of a topic it <see cref="Follows"/>, whether the change was made on this instance or read from the log.
/// A subscriber of one topic implements <see cref="Topic"/> and <see cref="ApplyChangeAsync(Guid?, CancellationToken)"/>;
/// one that follows several (the directory's indexes) also implements the two members that name the topic.
/// </summary>
public interface IChangeSubscriber
{
    ChangeTopic Topic { get; }

    /// <summary>Brings this state up to date with a change; <paramref name="subjectId"/> is what changed when the change names it.</summary>
    Task ApplyChangeAsync(Guid? subjectId, CancellationToken cancellationToken);

    /// <summary>Whether this state follows changes of <paramref name="topic"/>; by default only those of its <see cref="Topic"/>.</summary>
    bool Follows(ChangeTopic topic) => topic == Topic;

    /// <summary>Brings this state up to date with a change of any topic it <see cref="Follows"/>.</summary>
    Task ApplyChangeAsync(ChangeTopic topic, Guid? subjectId, CancellationToken cancellationToken) => ApplyChangeAsync(subjectId, cancellationToken);
}
