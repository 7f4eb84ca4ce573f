using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using ControlPanel.Domain.Webhooks;

namespace ControlPanel.Domain.Tests.Webhooks;

/// <summary>What an attempt's answer or failure means, decided without a database or a receiver.</summary>
public sealed class WebhookSenderTests
{
    [Theory]
    [InlineData(200)]
    [InlineData(202)]
    [InlineData(204)]
    public void Any_2xx_answer_is_delivered(int status)
    {
        var result = WebhookSender.Classify(status, "OK", "thanks");
        Assert.Equal(WebhookAttemptOutcome.Delivered, result.Outcome);
        Assert.Equal(status, result.HttpStatus);
        Assert.Equal("thanks", result.ResponseBody);
        Assert.Null(result.Error);
    }

    [Theory]
    [InlineData(301, "Moved Permanently")]
    [InlineData(410, "Gone")]
    [InlineData(500, "Internal Server Error")]
    public void Any_other_answer_is_an_http_error_that_names_the_status(int status, string reason)
    {
        var result = WebhookSender.Classify(status, reason, "no");
        Assert.Equal(WebhookAttemptOutcome.HttpError, result.Outcome);
        Assert.Equal($"HTTP {status} {reason}", result.Error);
        Assert.Equal("no", result.ResponseBody);
    }

    public static TheoryData<Exception, WebhookAttemptOutcome> Failures => new()
    {
        { new WebhookAddressRefusedException("metadata.internal", IPAddress.Parse("169.254.169.254")), WebhookAttemptOutcome.Blocked },
        { new AuthenticationException("The remote certificate is invalid."), WebhookAttemptOutcome.Tls },
        { new SocketException((int)SocketError.HostNotFound), WebhookAttemptOutcome.Dns },
        { new SocketException((int)SocketError.ConnectionRefused), WebhookAttemptOutcome.Refused },
        { new TimeoutException(), WebhookAttemptOutcome.Timeout },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_failure_is_classified_by_its_innermost_cause(Exception cause, WebhookAttemptOutcome expected)
    {
        var result = WebhookSender.Classify(new HttpRequestException("Sending failed.", new IOException("wrapped", cause)));
        Assert.Equal(expected, result.Outcome);
        Assert.Null(result.HttpStatus);
        Assert.False(string.IsNullOrEmpty(result.Error));
    }

    [Theory]
    [InlineData(HttpRequestError.NameResolutionError, WebhookAttemptOutcome.Dns)]
    [InlineData(HttpRequestError.SecureConnectionError, WebhookAttemptOutcome.Tls)]
    [InlineData(HttpRequestError.ConnectionError, WebhookAttemptOutcome.Refused)]
    [InlineData(HttpRequestError.ResponseEnded, WebhookAttemptOutcome.Error)]
    public void Without_a_telling_cause_the_request_error_decides(HttpRequestError error, WebhookAttemptOutcome expected) =>
        Assert.Equal(expected, WebhookSender.Classify(new HttpRequestException(error, "Sending failed.")).Outcome);

    [Fact]
    public void Redaction_replaces_each_secret_with_and_without_its_prefix_and_one_cut_off_at_the_end()
    {
        const string signing = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        const string verification = "yoursecret123";
        var secrets = new[] { verification, signing };
        Assert.Equal("a [redacted] b [redacted] c [redacted]",
            WebhookSender.Redact($"a {verification} b {signing} c {signing["whsec_".Length..]}", secrets));
        Assert.Equal("ends with [redacted]", WebhookSender.Redact("ends with yoursec", secrets));
        Assert.Equal("ordinary text you", WebhookSender.Redact("ordinary text you", secrets));
    }
}
