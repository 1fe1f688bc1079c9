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
}
