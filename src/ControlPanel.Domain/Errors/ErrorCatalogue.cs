using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace ControlPanel.Domain.Errors;

/// <summary>
/// The complete error-code table of the SYNAPPS guide: one list, used by every error
/// response and served as-is by <c>GET .../helper/error</c>.
/// </summary>
public static class ErrorCatalogue
{
    // Every row of the guide's table, in its order, with its text exactly as published: the two
    // spaces in "HTTP OPTIONS  METHOD" (131) and "HTTP GET  METHOD" (132), the space after
    // "READ DATABASE CONNECTION FAILED " (262) and the spelling ("REQUIRMENTS", "TIMEEDOUT"),
    // because clients may match on the text the guide gave them.
    private static readonly ApiError[] Rows =
    [
        new(101, "NOTICE", "NOT USING HTTPS 443", 426),
        new(102, "INFO", "INVALID HEADERS", 406),
        new(103, "INFO", "API CALL QUOTA LIMIT EXCEEDED", 406),
        new(104, "INFO", "FORMAT MISSING", 200),
        new(105, "INFO", "INVALID FORMAT", 405),
        new(106, "INFO", "MISSING PARAMETER", 200),
        new(110, "INFO", "APPLICATION OFFLINE", 423),
        new(111, "INFO", "BAD ORIGIN IP", 403),
        new(112, "INFO", "TOKEN DOES NOT CONTAIN VALID SIGNATURE", 200),
        new(113, "INFO", "TOKEN EXPIRED", 401),
        new(114, "INFO", "INVALID TOKEN", 401),
        new(115, "INFO", "INVALID IP", 200),
        new(117, "INFO", "DATA NOT VALID", 200),
        new(124, "CRITICAL", "FAILED TO CONNECT", 503),
        new(128, "INFO", "HTTP PUT METHOD NOT AVAILABLE", 405),
        new(129, "INFO", "HTTP HEAD METHOD NOT AVAILABLE", 405),
        new(130, "INFO", "HTTP DELETE METHOD NOT AVAILABLE", 405),
        new(131, "INFO", "HTTP OPTIONS  METHOD NOT AVAILABLE", 405),
        new(132, "INFO", "HTTP GET  METHOD NOT AVAILABLE", 405),
        new(133, "INFO", "HTTP OPTIONS POST NOT AVAILABLE", 200),
        new(134, "INFO", "HTTP METHOD NOT ACCEPTED", 405),
        new(135, "INFO", "MODE NOT RECOGNIZED", 200),
        new(136, "INFO", "NO RESULTS", 200),
        new(137, "CRITICAL", "CANNOT CONNECT", 503),
        new(144, "CRITICAL", "CANNOT CONNECT", 503),
        new(145, "CRITICAL", "CANNOT CONNECT", 503),
        new(146, "INFO", "INVALID CHANNEL", 501),
        new(147, "INFO", "VOID ID", 200),
        new(148, "INFO", "MISSING OR MALFORMED SKILL", 200),
        new(149, "INFO", "INVALID SKILL", 200),
        new(150, "INFO", "INVALID VARIABLE", 200),
        new(151, "INFO", "3RD PARTY RETURNED INVALID STATUS RESPONSE", 200),
        new(154, "INFO", "NO DATA", 200),
        new(155, "INFO", "CANNOT SET 3RD PARTY TIMEOUT", 200),
        new(156, "INFO", "3RD PARTY INTEGRATION SETTINGS INCOMPLETE", 200),
        new(157, "INFO", "NO RESULTS", 200),
        new(158, "INFO", "RATE LIMIT EXCEEDED", 429),
        new(159, "INFO", "MALFORMED TIME RATE PARAMETER", 200),
        new(160, "INFO", "3RD PARTY SESSION DOES NOT EXIST", 200),
        new(161, "INFO", "3RD PARTY ENVIRONMENT HAS A FAULT", 200),
        new(162, "INFO", "NO RESULTS", 200),
        new(163, "INFO", "NO SLA DATA", 200),
        new(164, "INFO", "NO AUTO RESPONDER", 200),
        new(165, "INFO", "CATEGORY DOES NOT EXIST", 200),
        new(166, "INFO", "CATEGORY AND SUBCATEGORY ARE INCOMPATIBLE", 200),
        new(167, "INFO", "CANNOT FIND GLOBAL PRESETS", 200),
        new(169, "INFO", "INCOMPATIBLE PARAMETERS", 200),
        new(170, "INFO", "NO ACCESS TO THIS RESOURCE", 403),
        new(171, "INFO", "CANNOT CHANGE EXISTING EMAIL", 200),
        new(173, "HIGH", "CSRF SUSPECTED", 200),
        new(174, "INFO", "ALREADY SUSPENDED", 200),
        new(175, "INFO", "ALREADY UNSUSPENDED", 200),
        new(177, "INFO", "VOID TRIGGER ID", 200),
        new(179, "INFO", "UNKNOWN SUBDOMAIN", 200),
        new(180, "INFO", "TEAM MATE INVALID", 200),
        new(181, "INFO", "YOU ARE NOT A PARTICIPANT IN THIS CONVERSATION", 200),
        new(182, "INFO", "CHAT NOT ASSIGNED TO YOU", 200),
        new(183, "INFO", "ERROR IN UPDATING OR ADDING AD IMPRESSIONS", 200),
        new(184, "INFO", "TRANSFER NOT AVAILABLE", 200),
        new(185, "WARNING", "LOGGING FAILURE", 200),
        new(186, "WARNING", "CANNOT REMOVE OWNER", 200),
        new(187, "INFO", "MURDER, DEATH, KILL. OR (INVALID PARTICIPANT)", 200),
        new(188, "HIGH", "DATABASE UPDATE ERROR", 200),
        new(189, "INFO", "DUPLICATE CATEGORIES IN KNOWLEDGE BASE", 200),
        new(190, "INFO", "AGENT IS INACTIVE", 200),
        new(191, "INFO", "TITLE DOES NOT MEET LIMIT REQUIRMENTS", 200),
        new(192, "INFO", "INVITATION ALREADY OFFERED", 200),
        new(193, "INFO", "NO GOALS AVAILABLE", 200),
        new(194, "INFO", "NO TOKEN OR SESSION IN PAYLOAD", 200),
        new(195, "INFO", "API DOES NOT EXIST", 200),
        new(196, "INFO", "YOUR SLOTS ARE FULL", 200),
        new(197, "INFO", "PROBLEM WITH SUBMITTER", 200),
        new(198, "INFO", "SKILL NO LONGER ACTIVE", 200),
        new(201, "INFO", "MISSING APPLICATION KEY", 200),
        new(202, "INFO", "MISSING CONSUMER KEY", 200),
        new(203, "INFO", "ANTECEDING ENTITY IN QUEUE", 200),
        new(204, "INFO", "NOT AUTHORISED", 403),
        new(222, "INFO", "NOT AUTHORISED", 200),
        new(223, "NOTICE", "YOU HAVE NO PERMISSIONS", 200),
        new(224, "NOTICE", "AGENT HAS NO MODULES", 200),
        new(225, "NOTICE", "ACCOUNT IS LOCKED", 403),
        new(226, "INFO", "USER SET AS LOGGED OUT", 401),
        new(227, "INFO", "CANNOT RETURN TO QUEUE IF INVITATION STILL OUT", 200),
        new(228, "HIGH", "ONGOING CHATS AND DB OUT OF SYNC", 200),
        new(229, "INFO", "TICKET DOES NOT EXIST", 200),
        new(230, "INFO", "PERMISSION NOT SET", 401),
        new(231, "INFO", "USERNAME INVALID", 200),
        new(232, "INFO", "USERNAME ALREADY TAKEN", 200),
        new(233, "INFO", "EMAIL INVALID", 200),
        new(234, "NOTICE", "USER DOES NOT BELONG TO THIS AGENT", 200),
        new(235, "NOTICE", "NO MFA METHOD", 200),
        new(236, "INFO", "RESET SESSIONS", 200),
        new(237, "NOTICE", "USER ID VOID", 200),
        new(238, "INFO", "LABEL ID VOID", 200),
        new(239, "INFO", "CHAT ALREADY COMPLETE", 200),
        new(240, "INFO", "ONLY OWNERS CAN END CHATS", 200),
        new(241, "INFO", "BAD SIGNATURE", 200),
        new(242, "INFO", "HISTORICAL API CANNOT BE USED FOR REALTIME DATA", 200),
        new(243, "INFO", "INVALID SCORE", 200),
        new(244, "INFO", "TRIGGER ID INVALID FOR TYPE", 200),
        new(245, "INFO", "INVALID REASON FOR SUSPENSION", 200),
        new(246, "INFO", "PIPELINE NOT OWNED BY USER", 200),
        new(247, "INFO", "PIPELINE DOES NOT EXIST", 200),
        new(248, "INFO", "NO BREADCRUMBS COLLECTED", 200),
        new(249, "NOTICE", "INVALID USER ID FOR THIS ACTION", 200),
        new(250, "INFO", "CALLBACK ID NOT RECOGNISED", 200),
        new(251, "INFO", "CALLBACK ALREADY COMPLETE", 200),
        new(252, "INFO", "CALLBACK CANCELLED", 200),
        new(253, "INFO", "CALLBACK ALREADY FAILED", 200),
        new(254, "INFO", "CALLBACK SLOT BLOCKED OUT", 200),
        new(255, "INFO", "CALLBACK STILL IN PROGRESS", 200),
        new(256, "INFO", "CALLBACK EITHER NOT STARTED OR ALREADY COMPLETED", 200),
        new(257, "INFO", "CALLBACK NOT LOCKED", 200),
        new(258, "INFO", "CANNOT UNSUSPEND WHILE CALLBACK ONGOING", 200),
        new(259, "WARNING", "ENVIRONMENT NOT ENABLED FOR USE WITH THIS CONSUMER AND/OR APPLICATION", 200),
        new(260, "INFO", "UNDERGOING MAINTENANCE", 503),
        new(261, "CRITICAL", "WRITE DATABASE CONNECTION FAILED", 503),
        new(262, "CRITICAL", "READ DATABASE CONNECTION FAILED ", 503),
        new(263, "CRITICAL", "WRITE DATABASE CONNECTION TIMEEDOUT", 503),
        new(264, "CRITICAL", "READ DATABASE CONNECTION TIMEOUT", 503),
        new(265, "WARNING", "NO CUSTOMER FEEDBACK CONFIGURED", 200),
        new(266, "INFO", "INVALID PAYMENTLINKREFERENCEID", 200),
        new(267, "INFO", "EMPTY LOGIC EXPRESSION", 200),
        new(268, "INFO", "EVALUATED LOGIC EXPRESSION FAILED", 200),
        new(269, "INFO", "SESSION OUT OF SCOPE", 401),
        new(303, "INFO", "NO AD DATA", 200),
        new(304, "INFO", "NO AD DATA", 200),
        new(305, "INFO", "NO KNOWLEDGE DATA", 200),
        new(306, "INFO", "NO KNOWLEDGE DATA", 200),
        new(307, "INFO", "NO KNOWLEDGE DATA", 200),
        new(309, "INFO", "INVALID VIEW", 200),
        new(310, "INFO", "DATA NOT MODIFIED", 304),
        new(311, "INFO", "INVALID DATE RANGE", 200),
        new(312, "INFO", "MAGIC LINK EXPIRED OR INVALID", 200),
        new(313, "INFO", "REACHED MAX DATA DOWNLOADS", 200),
        new(314, "INFO", "STREAM LOG ERROR RETRYING", 200),
        new(403, "INFO", "NOT AUTHORISED", 403),
    ];

    private static readonly FrozenDictionary<int, ApiError> ByCode = Rows.ToFrozenDictionary(error => error.Code);

    /// <summary>Every error in the guide's order (ascending code).</summary>
    public static IReadOnlyList<ApiError> All { get; } = Array.AsReadOnly(Rows);

    /// <summary>The error with this code; throws <see cref="KeyNotFoundException"/> for a code the guide does not list.</summary>
    public static ApiError Get(int code) =>
        ByCode.TryGetValue(code, out var error)
            ? error
            : throw new KeyNotFoundException($"Error code {code} is not in the error catalogue.");

    /// <summary>Looks up an error without throwing.</summary>
    public static bool TryGet(int code, [NotNullWhen(true)] out ApiError? error) => ByCode.TryGetValue(code, out error);

    // The codes the request check and the input validators return. Declared after ByCode
    // so static initialisation (textual order) has the dictionary ready.

    /// <summary>101: request not made over HTTPS.</summary>
    public static ApiError NotUsingHttps { get; } = Get(101);

    /// <summary>102: the key headers are malformed.</summary>
    public static ApiError InvalidHeaders { get; } = Get(102);

    /// <summary>103: the monthly quota (plus any overrun allowance) is used up.</summary>
    public static ApiError QuotaExceeded { get; } = Get(103);

    /// <summary>106: a required parameter is missing.</summary>
    public static ApiError MissingParameter { get; } = Get(106);

    /// <summary>110: the application has been taken offline.</summary>
    public static ApiError ApplicationOffline { get; } = Get(110);

    /// <summary>111: the caller's IP or Origin is not on the application's allowlist.</summary>
    public static ApiError BadOriginIp { get; } = Get(111);

    /// <summary>113: the session token has expired.</summary>
    public static ApiError TokenExpired { get; } = Get(113);

    /// <summary>114: the session token is not one we issued.</summary>
    public static ApiError InvalidToken { get; } = Get(114);

    /// <summary>117: submitted data failed validation.</summary>
    public static ApiError DataNotValid { get; } = Get(117);

    /// <summary>158: the one-minute rate limit is exceeded (HTTP 429).</summary>
    public static ApiError RateLimitExceeded { get; } = Get(158);

    /// <summary>196: a key pair already holds as many live sessions as it may (Api:MaxLiveSessionsPerKeyPair); HTTP 429.</summary>
    public static ApiError SlotsFull { get; } = Get(196);

    /// <summary>194: a resource that needs a session was called without a Bearer token.</summary>
    public static ApiError NoTokenOrSession { get; } = Get(194);

    /// <summary>201: no APPLICATIONKEY header.</summary>
    public static ApiError MissingApplicationKey { get; } = Get(201);

    /// <summary>202: no CONSUMERKEY header.</summary>
    public static ApiError MissingConsumerKey { get; } = Get(202);

    /// <summary>204: the key pair is not recognised or not allowed here.</summary>
    public static ApiError NotAuthorised { get; } = Get(204);

    /// <summary>225: the owning account is locked.</summary>
    public static ApiError AccountLocked { get; } = Get(225);

    /// <summary>259: the key pair is not enabled for the requested environment.</summary>
    public static ApiError EnvironmentNotEnabled { get; } = Get(259);

    /// <summary>309: the requested view does not exist.</summary>
    public static ApiError InvalidView { get; } = Get(309);

    /// <summary>311: the date range is invalid.</summary>
    public static ApiError InvalidDateRange { get; } = Get(311);
}
