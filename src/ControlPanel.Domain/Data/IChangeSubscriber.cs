namespace ControlPanel.Domain.Data;

/// <summary>
/// In-memory state that follows the <see cref="ChangeFeed"/>. The feed is given every subscriber when it is made and calls
/// each for every change of its <see cref="Topic"/>, whether the change was made on this instance or read from the log.
/// </summary>
public interface IChangeSubscriber
{
    ChangeTopic Topic { get; }

    /// <summary>Brings this state up to date with a change; <paramref name="subjectId"/> is what changed when the change names it.</summary>
    Task ApplyChangeAsync(Guid? subjectId, CancellationToken cancellationToken);
}
