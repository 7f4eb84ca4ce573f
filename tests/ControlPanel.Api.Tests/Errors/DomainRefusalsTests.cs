using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Usage;
using ControlPanel.Web.Api;

namespace ControlPanel.Api.Tests.Errors;

/// <summary>The one mapping every API answers the domain's refusals with.</summary>
public sealed class DomainRefusalsTests
{
    [Fact]
    public void Someone_elses_and_missing_are_the_same_not_found()
    {
        var refusal = DomainRefusals.From(new AccessDeniedException())!;
        Assert.Equal((404, 195, "Not found."), (refusal.StatusCode, refusal.Value.Error, refusal.Value.ExtraInfo));
    }

    [Fact]
    public void A_refused_change_answers_117_with_the_rules_sentence_and_a_bad_range_311()
    {
        var changed = DomainRefusals.From(new ValidationException("Choose another name."))!;
        Assert.Equal((400, 117, "Choose another name."), (changed.StatusCode, changed.Value.Error, changed.Value.ExtraInfo));
        var range = DomainRefusals.From(new InvalidDateRangeException("The range ends before it starts."))!;
        Assert.Equal((400, 311, "The range ends before it starts."), (range.StatusCode, range.Value.Error, range.Value.ExtraInfo));
    }

    [Fact]
    public void A_fault_is_not_a_refusal()
    {
        Assert.Null(DomainRefusals.From(new InvalidOperationException("bug")));
    }
}
