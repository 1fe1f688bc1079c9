using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace NeXChange.Credits;

public static class CreditServices
{
    /// <summary>
    /// The ledger writer, reads, reconciliation, fee policy and validated options. <see cref="ICreditHolders"/> is registered by the
    /// users module, which owns the data it answers from.
    /// </summary>
    public static IServiceCollection AddCredits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LimitOptions>().Bind(configuration.GetSection(LimitOptions.Section))
            .Validate(o => o.IsValid(), "Limits: every limit must be positive and SingleMovementMaxMinor >= TransferMinMinor.")
            .ValidateOnStart();
        services.AddOptions<CreditOptions>().Bind(configuration.GetSection(CreditOptions.Section))
            .Validate(o => o.IsValid(), "Credits:SignupGrantMinor must be positive.")
            .ValidateOnStart();
        services.AddOptions<FeeOptions>().Bind(configuration.GetSection(FeeOptions.Section))
            .Validate(o => Enum.IsDefined(o.Policy), "Fees:Policy must be Default or Zero.")
            .ValidateOnStart();
        services.AddSingleton<IFeePolicy>(sp => sp.GetRequiredService<IOptions<FeeOptions>>().Value.Policy switch
        {
            FeePolicyKind.Zero => new ZeroFeePolicy(),
            _ => new DefaultFeePolicy(),
        });
        services.AddSingleton<AccountDirectory>();
        services.AddSingleton<PostgresLedgerWriter>();
        // Ledger:GroupCommit (default on) batches the silo's postings into shared commits; off, each posting commits alone.
        // TryAdd: fault tests put a writer in front of it that "crashes" after a commit.
        services.TryAddSingleton<ILedgerWriter>(sp => configuration.GetValue("Ledger:GroupCommit", true)
            ? ActivatorUtilities.CreateInstance<GroupCommitLedgerWriter>(sp, configuration.GetValue("Ledger:GroupCommitWriters", 1))
            : sp.GetRequiredService<PostgresLedgerWriter>());
        services.AddSingleton<LedgerReader>();
        services.AddSingleton<LedgerReconciliation>();
        services.AddSingleton<LedgerDriftAlarm>();
        return services;
    }
}
