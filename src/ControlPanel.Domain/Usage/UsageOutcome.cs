using System.Linq.Expressions;
using System.Reflection;
using ControlPanel.Domain.Errors;

namespace ControlPanel.Domain.Usage;

/// <summary>
/// The outcomes usage reports break calls down into: the ones owners act on, and the rest. Each one's code, column, label
/// and colour are in <see cref="UsageOutcomes.Definitions"/>, the one list the meter, rollups, reports, CSV, charts and API read.
/// </summary>
public enum UsageOutcome
{
    Allowed,
    RateLimited,
    OverQuota,
    BadOrigin,
    BadKeys,
    Other,
}

/// <summary>One outcome as every report shows it.</summary>
/// <param name="Code">The stored decision (0 for allowed, else the error code answered); null for the outcome that gathers every other code.</param>
/// <param name="Label">The heading in legends, tables and the CSV file.</param>
/// <param name="Colour">The chart palette's colour (an Okabe–Ito hue's name), the same in every chart.</param>
public sealed record UsageOutcomeDefinition(UsageOutcome Outcome, int? Code, string Label, string Colour)
{
    /// <summary>The property of every per-outcome row (rollup, history, CSV, API) and the rollup's database column.</summary>
    public string Column { get; } = Outcome.ToString();
}

public static class UsageOutcomes
{
    /// <summary>
    /// Every outcome, in the order of the enum, columns, legends and files. Adding an outcome is a line here, its enum
    /// member, the per-outcome rows' properties of that name and a migration for <see cref="UsageApplicationDay"/>'s column.
    /// </summary>
    public static IReadOnlyList<UsageOutcomeDefinition> Definitions { get; } =
    [
        new(UsageOutcome.Allowed, 0, "Allowed", "BluishGreen"),
        new(UsageOutcome.RateLimited, ErrorCatalogue.RateLimitExceeded.Code, $"{ErrorCatalogue.RateLimitExceeded.Code} rate limited", "Orange"),
        new(UsageOutcome.OverQuota, ErrorCatalogue.QuotaExceeded.Code, $"{ErrorCatalogue.QuotaExceeded.Code} over quota", "Vermillion"),
        new(UsageOutcome.BadOrigin, ErrorCatalogue.BadOriginIp.Code, $"{ErrorCatalogue.BadOriginIp.Code} bad origin", "ReddishPurple"),
        new(UsageOutcome.BadKeys, ErrorCatalogue.NotAuthorised.Code, $"{ErrorCatalogue.NotAuthorised.Code} bad keys", "Blue"),
        new(UsageOutcome.Other, null, "Other errors", "Grey"),
    ];

    public static IReadOnlyList<UsageOutcome> All { get; } = [.. Definitions.Select(d => d.Outcome)];

    /// <summary>The outcomes with a code of their own, and those codes (every outcome but the one that gathers the rest).</summary>
    public static IReadOnlyList<UsageOutcomeDefinition> Coded { get; } = [.. Definitions.Where(d => d.Code is not null)];

    /// <summary>The outcome every code without one of its own falls into.</summary>
    public static UsageOutcome Rest { get; } = Definitions.Single(d => d.Code is null).Outcome;

    // A plain array, searched in order: a handful of entries, read without allocating on every report's fold.
    private static readonly (int Code, UsageOutcome Outcome)[] ByCode = [.. Coded.Select(d => (d.Code!.Value, d.Outcome))];

    public static UsageOutcomeDefinition Definition(this UsageOutcome outcome) => Definitions[(int)outcome];

    /// <summary>The outcome a stored decision (0 or an error code) belongs to.</summary>
    public static UsageOutcome Of(int outcome)
    {
        foreach (var (code, coded) in ByCode)
            if (code == outcome) return coded;
        return Rest;
    }

    /// <summary>The stored code of an outcome that has exactly one (not <see cref="Rest"/>).</summary>
    public static int CodeOf(UsageOutcome outcome) =>
        outcome.Definition().Code ?? throw new ArgumentOutOfRangeException(nameof(outcome), $"{outcome} stands for every remaining code.");

    /// <summary>The label used in legends, table headers and the CSV file.</summary>
    public static string Label(this UsageOutcome outcome) => outcome.Definition().Label;

    /// <summary>The outcome whose <see cref="UsageOutcomeDefinition.Column"/> this is (any case), for sort parameters.</summary>
    public static bool TryParseColumn(string? column, out UsageOutcome outcome)
    {
        foreach (var definition in Definitions)
            if (string.Equals(definition.Column, column, StringComparison.OrdinalIgnoreCase))
            {
                outcome = definition.Outcome;
                return true;
            }
        outcome = default;
        return false;
    }
}

/// <summary>
/// The per-outcome <c>long</c> properties of a row type (named by <see cref="UsageOutcomeDefinition.Column"/>): read, set
/// and selected in queries through the outcome list, so code that goes over outcomes never names them one by one. A row
/// type missing one fails on first use.
/// </summary>
public static class UsageOutcomeColumns<TRow>
{
    private static readonly PropertyInfo[] Properties = [.. UsageOutcomes.Definitions.Select(d =>
        typeof(TRow).GetProperty(d.Column) is { PropertyType: var type } property && type == typeof(long)
            ? property
            : throw new InvalidOperationException($"{typeof(TRow).Name} has no long property {d.Column} for the usage outcome {d.Outcome}."))];

    private static readonly Func<TRow, long>[] Getters = [.. Properties.Select(p => (Func<TRow, long>)Delegate.CreateDelegate(typeof(Func<TRow, long>), p.GetMethod!))];

    private static readonly Action<TRow, long>[] Setters = [.. Properties.Select(p => (Action<TRow, long>)Delegate.CreateDelegate(typeof(Action<TRow, long>), p.SetMethod!))];

    private static readonly Expression<Func<TRow, long>>[] Selectors = [.. Properties.Select(p =>
    {
        var row = Expression.Parameter(typeof(TRow), "row");
        return Expression.Lambda<Func<TRow, long>>(Expression.Property(row, p), row);
    })];

    public static PropertyInfo Property(UsageOutcome outcome) => Properties[(int)outcome];

    public static long Get(TRow row, UsageOutcome outcome) => Getters[(int)outcome](row);

    /// <summary>Sets an outcome's property (init-only ones included, on a row being filled).</summary>
    public static void Set(TRow row, UsageOutcome outcome, long calls) => Setters[(int)outcome](row, calls);

    /// <summary>The column as a query expression (to sort or sum by in the database).</summary>
    public static Expression<Func<TRow, long>> Selector(UsageOutcome outcome) => Selectors[(int)outcome];

    /// <summary>
    /// <paramref name="projection"/> (a <c>new TResult { … }</c>) with every outcome's property also set from the same
    /// property of its first parameter's row, so a query's projection copies the outcomes without naming them.
    /// </summary>
    public static Expression<Func<TRow, TOther, TResult>> CopiedInto<TOther, TResult>(Expression<Func<TRow, TOther, TResult>> projection)
    {
        var init = projection.Body as MemberInitExpression
            ?? throw new ArgumentException("The projection must be a member initialiser.", nameof(projection));
        var source = projection.Parameters[0];
        var copies = UsageOutcomes.All.Select(o =>
            (MemberBinding)Expression.Bind(UsageOutcomeColumns<TResult>.Property(o), Expression.Property(source, Property(o))));
        return Expression.Lambda<Func<TRow, TOther, TResult>>(Expression.MemberInit(init.NewExpression, [.. init.Bindings, .. copies]), projection.Parameters);
    }
}
