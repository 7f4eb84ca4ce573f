namespace ControlPanel.Domain.Errors;

/// <summary>One row of the SYNAPPS error-code table.</summary>
/// <param name="Code">The error number clients see in the <c>Error</c> field.</param>
/// <param name="Severity">NOTICE, INFO, WARNING, HIGH or CRITICAL, as the guide writes it.</param>
/// <param name="Description">The upper-case description returned in the <c>Description</c> field.</param>
/// <param name="HttpStatus">The HTTP status code the response carries.</param>
public sealed record ApiError(int Code, string Severity, string Description, int HttpStatus)
{
    /// <summary>
    /// The HTTP status of a refusal. The catalogue's status, except that a refusal is never 2xx
    /// (a gateway would let the call through): the catalogue lists 201, 202 and 194 as 200 OK, and
    /// they answer 401 (credentials missing); 195 API DOES NOT EXIST answers 404; 196 YOUR SLOTS ARE FULL answers 429;
    /// other 2xx codes (309 INVALID VIEW) answer 400. The body keeps the catalogue's code either way.
    /// </summary>
    public int RefusalStatus => HttpStatus switch
    {
        >= 400 => HttpStatus,
        _ when Code is 201 or 202 or 194 => 401,
        _ when Code is 196 => 429, // YOUR SLOTS ARE FULL: a key pair's live sessions are at their cap until one expires
        _ when Code is 195 => 404,
        _ => 400,
    };
}
