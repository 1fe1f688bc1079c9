using NeXChange.Errors;

namespace NeXChange.Search;

/// <summary>The rules of <c>PUT /admin/search/weights</c> (SPEC.md 5.3); field names are the JSON paths.</summary>
public static class SearchWeightsRules
{
    public const double SumTolerance = 0.0001;
    public const string SumNotOne = "sum_not_one";

    public static void Validate(SearchWeights request)
    {
        var errors = new List<FieldError>();
        if (request.Weights is null)
        {
            errors.Add(new("weights", FieldCodes.Required, "The six weights are required."));
            Range(request.TextBlend, "textBlend", errors);
            throw DomainException.Validation([.. errors]);
        }
        Range(request.TextBlend, "textBlend", errors);
        var w = request.Weights;
        Range(w.Proximity, "weights.proximity", errors);
        Range(w.Recency, "weights.recency", errors);
        Range(w.PhotoCount, "weights.photoCount", errors);
        Range(w.Reputation, "weights.reputation", errors);
        Range(w.CategoryMatch, "weights.categoryMatch", errors);
        Range(w.Freshness, "weights.freshness", errors);
        var sum = w.Proximity + w.Recency + w.PhotoCount + w.Reputation + w.CategoryMatch + w.Freshness;
        if (!(Math.Abs(sum - 1) <= SumTolerance))
            errors.Add(new("weights", SumNotOne, FormattableString.Invariant($"The six weights must sum to 1 (±{SumTolerance}); they sum to {sum}.")));
        if (errors.Count > 0) throw DomainException.Validation([.. errors]);
    }

    private static void Range(double value, string field, List<FieldError> errors)
    {
        // Written so that NaN fails too.
        if (!(value >= 0 && value <= 1)) errors.Add(new(field, FieldCodes.OutOfRange, "Must be between 0 and 1."));
    }
}
