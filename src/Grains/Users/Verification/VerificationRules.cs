using NeXChange.Errors;

namespace NeXChange.Users.Verification;

/// <summary>A moderator's decision (SPEC.md 8.6): approve, or reject with a reason of 10–500 characters the user sees.</summary>
public static class VerificationRules
{
    public const int ReasonMin = 10;
    public const int ReasonMax = 500;

    /// <summary>The status the decision sets and its reason (trimmed; null when none was given).</summary>
    public static (string Status, string? Reason) Check(VerificationDecision decision)
    {
        var status = decision.Decision switch
        {
            "approve" => VerificationStates.Verified,
            "reject" => VerificationStates.Rejected,
            null => throw DomainException.Validation("decision", FieldCodes.Required, "decision is required."),
            _ => throw DomainException.Validation("decision", FieldCodes.UnknownValue, "decision is approve or reject."),
        };
        var reason = string.IsNullOrWhiteSpace(decision.Reason) ? null : decision.Reason.Trim();
        if (reason is null && status == VerificationStates.Rejected)
            throw DomainException.Validation("reason", FieldCodes.Required, "A rejection needs a reason.");
        if (reason is { Length: < ReasonMin })
            throw DomainException.Validation("reason", FieldCodes.TooShort, $"reason has at least {ReasonMin} characters.");
        if (reason is { Length: > ReasonMax })
            throw DomainException.Validation("reason", FieldCodes.TooLong, $"reason has at most {ReasonMax} characters.");
        return (status, reason);
    }
}
