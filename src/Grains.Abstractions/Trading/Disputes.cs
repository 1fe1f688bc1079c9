namespace NeXChange.Trading;

public static class DisputeResolutions
{
    public const string RefundFull = "refund_full";
    public const string RefundPartial = "refund_partial";
    public const string Release = "release";
    public const string Relist = "relist";

    public static readonly IReadOnlyList<string> All = [RefundFull, RefundPartial, Release, Relist];
}
