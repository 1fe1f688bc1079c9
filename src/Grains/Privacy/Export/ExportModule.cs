using Microsoft.Extensions.DependencyInjection;

namespace NeXChange.Privacy.Export;

public static class ExportModule
{
    /// <summary>The data-subject export archive writer (SPEC.md 3.10), called by the export and port jobs.</summary>
    public static IServiceCollection AddDataExport(this IServiceCollection services)
    {
        services.AddSingleton<DataExportWriter>();
        return services;
    }
}
