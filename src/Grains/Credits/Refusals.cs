using NeXChange.Errors;

namespace NeXChange.Credits;

/// <summary>The money refusals with the code-specific problem members of SPEC.md 9.1 and 2.6.</summary>
public static class Refusals
{
    public static DomainException InsufficientFunds(long availableMinor, long requiredMinor) =>
        new(ErrorCodes.InsufficientFunds, "The account does not hold enough credits.", extensions: new Dictionary<string, object>
        {
            ["availableMinor"] = availableMinor,
            ["requiredMinor"] = requiredMinor,
        });

    public static DomainException AmountLimit(string limit, long limitMinor, long remainingMinor) =>
        new(ErrorCodes.LimitExceeded, $"The {limit} limit would be exceeded.", extensions: new Dictionary<string, object>
        {
            ["limit"] = limit,
            ["limitMinor"] = limitMinor,
            ["remainingMinor"] = remainingMinor,
        });

    public static DomainException CountLimit(string limit, int limitCount, int remainingCount) =>
        new(ErrorCodes.LimitExceeded, $"The {limit} limit would be exceeded.", extensions: new Dictionary<string, object>
        {
            ["limit"] = limit,
            ["limitCount"] = limitCount,
            ["remainingCount"] = remainingCount,
        });

    public static DomainException InvalidTransition(string currentStatus) =>
        new(ErrorCodes.InvalidTransition, $"It is already {currentStatus}.", extensions: new Dictionary<string, object>
        {
            ["currentStatus"] = currentStatus,
        });

    public static DomainException OutOfRange(string field, string message) => DomainException.Validation(field, "out_of_range", message);
}
