using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Accounts;

/// <summary>
/// The one place rows are scoped to a viewer. A list holds what the viewer reads: a member the rows of the account they act in, staff
/// every account's, anybody else nothing (refused, so a viewer without a known role fails closed). One row is given only to
/// a viewer that <see cref="Viewer.CanRead"/> or <see cref="Viewer.CanChange"/> allows; otherwise, as when it does not exist,
/// the answer is <see cref="AccessDeniedException"/> ("not found"), so ids tell nothing about other accounts.
/// </summary>
public static class AccountScope
{
    /// <summary>
    /// The one account whose rows the viewer reads (the one a member acts in), or null when they read every account's (staff).
    /// Anybody else, someone acting in no account among them, reads none: <see cref="AccessDeniedException"/>.
    /// This is <see cref="Viewer.CanRead"/> in a form a database query can run.
    /// </summary>
    public static Guid? VisibleAccount(Viewer viewer)
    {
        if (viewer.IsStaff) return null;
        if (viewer.IsMember && viewer.AccountId is { } own) return own;
        throw new AccessDeniedException();
    }

    /// <summary>The rows the viewer reads: one account's or every account's, filtered in the database.</summary>
    public static IQueryable<T> VisibleTo<T>(this IQueryable<T> rows, Viewer viewer) where T : class, IAccountOwned =>
        VisibleAccount(viewer) is { } own ? rows.Where(r => r.AccountId == own) : rows;

    /// <summary>
    /// The rows the viewer reads, for rows whose account is optional (an audit entry about no account, such as a staff
    /// invitation): a member reads their account's rows and never those of no account; staff read all.
    /// </summary>
    /// <param name="accountOf">The row's account, as a member the database has (<c>e =&gt; e.AccountId</c>).</param>
    public static IQueryable<T> VisibleTo<T>(this IQueryable<T> rows, Viewer viewer, Expression<Func<T, Guid?>> accountOf)
    {
        if (VisibleAccount(viewer) is not { } own) return rows;
        // accountOf(row) == own, with own read from a captured object as a lambda's would be: the database gets a parameter.
        var scope = new Captured(own);
        var sameAccount = Expression.Equal(accountOf.Body, Expression.Property(Expression.Constant(scope), nameof(Captured.AccountId)));
        return rows.Where(Expression.Lambda<Func<T, bool>>(sameAccount, accountOf.Parameters));
    }

    /// <summary>The row, when the viewer may read it; <see cref="AccessDeniedException"/> when it is null (not found) or not theirs to read.</summary>
    public static T ReadableBy<T>(this T? row, Viewer viewer) where T : class, IAccountOwned =>
        row is not null && viewer.CanRead(row.AccountId) ? row : throw new AccessDeniedException();

    /// <summary>The row, when the viewer may change it; <see cref="AccessDeniedException"/> when it is null (not found) or not theirs to change.</summary>
    public static T ChangeableBy<T>(this T? row, Viewer viewer) where T : class, IAccountOwned =>
        row is not null && viewer.CanChange(row.AccountId) ? row : throw new AccessDeniedException();

    /// <summary>Loads the one row <paramref name="which"/> picks and gives it when the viewer may read it (<see cref="ReadableBy"/>).</summary>
    public static async Task<T> FindForReadAsync<T>(this IQueryable<T> rows, Viewer viewer, Expression<Func<T, bool>> which,
        CancellationToken cancellationToken = default) where T : class, IAccountOwned =>
        (await rows.SingleOrDefaultAsync(which, cancellationToken)).ReadableBy(viewer);

    /// <summary>Loads the one row <paramref name="which"/> picks and gives it when the viewer may change it (<see cref="ChangeableBy"/>).</summary>
    public static async Task<T> FindForChangeAsync<T>(this IQueryable<T> rows, Viewer viewer, Expression<Func<T, bool>> which,
        CancellationToken cancellationToken = default) where T : class, IAccountOwned =>
        (await rows.SingleOrDefaultAsync(which, cancellationToken)).ChangeableBy(viewer);

    /// <summary>
    /// The account a new row goes in: the one a member acts in, the one an admin chose. <see cref="AccessDeniedException"/> when
    /// the viewer may not change it (support, the Viewer role, a read-only token, an admin who chose none).
    /// </summary>
    public static Guid AccountToCreateIn(Viewer viewer, Guid? chosen) =>
        (viewer.IsMember ? viewer.AccountId : chosen) is { } id && viewer.CanChange(id) ? id : throw new AccessDeniedException();

    private sealed record Captured(Guid? AccountId);
}
