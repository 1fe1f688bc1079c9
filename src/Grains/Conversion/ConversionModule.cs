using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace NeXChange.Conversion;

public static class ConversionModule
{
    /// <summary>
    /// The price feed chosen by <c>Conversion:Feed</c> (unset: Sandbox outside Production, Http in it) and the quote store.
    /// The silo resolves the feed at start-up (it starts the sampler), so a Production silo without
    /// <c>Conversion:PriceFeedUrl</c> stops with a message naming the setting.
    /// </summary>
    public static IServiceCollection AddConversion(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConversionOptions>().Bind(configuration.GetSection(ConversionOptions.Section))
            .Validate(o => o.IsValid(),
                "Conversion: PriceFeedTimeoutSeconds is 1-9, and Feed = Http needs PriceFeedUrl, an absolute http(s) URL.")
            .ValidateOnStart();
        services.AddSingleton<QuoteStore>();
        services.AddSingleton<ConversionStore>();
        services.AddSingleton<DuplicateGuard>();
        services.AddCustody(configuration);
        services.AddSingleton<SandboxPriceFeed>();
        services.AddSingleton<IPriceFeed>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ConversionOptions>>().Value;
            var production = sp.GetService<IHostEnvironment>()?.IsProduction() ?? true;
            if ((options.Feed ?? (production ? PriceFeedKind.Http : PriceFeedKind.Sandbox)) == PriceFeedKind.Sandbox)
                return sp.GetRequiredService<SandboxPriceFeed>();
            var url = options.PriceFeedUrl is { Length: > 0 } u ? new Uri(u, UriKind.Absolute) : throw new InvalidOperationException(
                "Missing required setting 'Conversion:PriceFeedUrl' (environment variable NEXCHANGE__Conversion__PriceFeedUrl): " +
                "the Http price feed is the default in Production; set Conversion:Feed to Sandbox otherwise.");
            // One client for the process; connections are recycled so a DNS change of the source is picked up.
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                Timeout = TimeSpan.FromSeconds(options.PriceFeedTimeoutSeconds),
            };
            return ActivatorUtilities.CreateInstance<HttpPriceFeed>(sp, http, url);
        });
        return services;
    }

    /// <summary>
    /// The custodial partner chosen by <c>Custody:Mode</c> (unset: Sandbox outside Production, Disabled in it). The
    /// sandbox needs the webhook secret it signs with; its target defaults to this deployment's own API.
    /// </summary>
    private static void AddCustody(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CustodyOptions>().Bind(configuration.GetSection(CustodyOptions.Section))
            .PostConfigure(o => o.WebhookUrl ??= configuration["App:PublicBaseUrl"] is { Length: > 0 } app
                ? $"{app.TrimEnd('/')}/api/v1/webhooks/custody"
                : null)
            .Validate(o => o.IsValid(),
                "Custody: TimeoutSeconds is 1-60, RetryBaseSeconds 0-60, DelaySeconds 0-3600, FailurePercent 0-100, WebhookUrl an absolute http(s) URL.")
            .ValidateOnStart();
        services.AddSingleton<ICustodyPartner>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CustodyOptions>>().Value;
            var production = sp.GetService<IHostEnvironment>()?.IsProduction() ?? true;
            if ((options.Mode ?? (production ? CustodyMode.Disabled : CustodyMode.Sandbox)) == CustodyMode.Disabled)
                return new DisabledCustodyPartner();
            if (options.WebhookSecret is not { Length: >= 32 } || options.WebhookUrl is null)
                throw new InvalidOperationException(
                    "The sandbox custodial partner needs 'Custody:WebhookSecret' (at least 32 characters; environment variable " +
                    "NEXCHANGE__Custody__WebhookSecret) and 'Custody:WebhookUrl' or 'App:PublicBaseUrl'.");
            var http = new HttpClient { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) };
            return new SandboxCustodyPartner(sp.GetRequiredService<IOptions<CustodyOptions>>(),
                ActivatorUtilities.CreateInstance<SandboxWebhookSender>(sp, http));
        });
    }
}
