using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Usage;

namespace ControlPanel.Web.Api;

/// <summary>
/// The one mapping from the domain's refusals to HTTP answers, for every API: an endpoint group adds
/// <see cref="AnswerAsync"/> as a filter and its handlers let the domain's exceptions through.
/// </summary>
public static class DomainRefusals
{
    /// <summary>
    /// 195 (404) "Not found." for what the viewer may not see: the same answer whether it is someone else's or
    /// does not exist, so an id probes nothing (a 403 would say "it exists").
    /// </summary>
    public static ApiRefusal NotFound { get; } = ApiRefusal.For(ApiStatusCodes.UnknownPath, "Not found.");

    /// <summary>The answer for a domain refusal; null for any other exception (a fault, not a refusal: it propagates).</summary>
    public static ApiRefusal? From(Exception exception) => exception switch
    {
        AccessDeniedException => NotFound,
        InvalidDateRangeException e => ApiRefusal.For(InvalidDateRangeException.Error, e.Message),
        ValidationException e => ApiRefusal.For(ErrorCatalogue.DataNotValid, e.Message),
        _ => null,
    };

    /// <summary>The endpoint filter: runs the handler and answers a domain refusal with <see cref="From"/>.</summary>
    public static async ValueTask<object?> AnswerAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        try
        {
            return await next(invocation);
        }
        catch (Exception e) when (From(e) is { } refusal)
        {
            return refusal;
        }
    }

    /// <summary>Adds <see cref="AnswerAsync"/> to every endpoint of <paramref name="builder"/>.</summary>
    public static TBuilder AnswerDomainRefusals<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(AnswerAsync);
}
