using NeXChange.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NeXChange.Credits;
using NeXChange.Hosting;
using NeXChange.Users.Email;

namespace NeXChange.Users;

public static class UsersModule
{
    /// <summary>
    /// The users module reads time through this keyed clock. It resolves to the default clock (Orleans' catch-all
    /// keyed registration) unless a test installs a fake one, which then moves only this module's time and not the
    /// silo's own timers.
    /// </summary>
    public const string ClockKey = "NeXChange.Users";

    public static IServiceCollection AddUsers(this IServiceCollection services, IConfiguration configuration)
    {
        // Resolved on first use, so a silo that hosts no user grain (e.g. another module's tests) needs no App:PublicBaseUrl.
        services.AddSingleton(_ => UserSettings.FromConfiguration(configuration));
        services.AddSingleton<IZipGeocoder>(_ => CensusZipGeocoder.Load());
        services.AddSingleton<IPasswordHasher<UserRecord>, PasswordHasher<UserRecord>>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<AdminProvisioning>();
        services.AddSingleton<Verification.VerificationStore>();
        services.AddSingleton<Verification.VerificationDesk>();
        // TryAdd: the ledger's own tests answer this port from a table of their own.
        services.TryAddSingleton<ICreditHolders, UserStatusQueries>();

        var email = EmailSettings.FromConfiguration(configuration);
        services.AddSingleton(email);
        if (email.Mode == EmailSettings.SmtpMode)
            services.AddSingleton<IEmailSender, SmtpEmailSender>();
        else
            services.AddSingleton<IEmailSender>(sp => new FileOutboxEmailSender(
                email, Path.Combine(configuration.DataDir(), "outbox"), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
