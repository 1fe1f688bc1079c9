using Microsoft.Extensions.DependencyInjection;

namespace NeXChange.Feedback;

public static class FeedbackModule
{
    /// <summary>The feedback table and the reputation query the user grain builds public profiles with.</summary>
    public static IServiceCollection AddFeedback(this IServiceCollection services)
    {
        services.AddSingleton<FeedbackStore>();
        services.AddSingleton<ReputationQueries>();
        return services;
    }
}
