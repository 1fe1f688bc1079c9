using Microsoft.Extensions.Configuration;
using NeXChange.Hosting;

namespace NeXChange.Storage;

/// <summary>The <c>Storage:*</c> settings; only the chosen mode's settings are required.</summary>
public sealed record StorageOptions(string Mode, string PublicBaseUrl, string? SigningKey, string FileSystemRoot, S3Options? S3)
{
    public const string FileSystemMode = "FileSystem";
    public const string S3Mode = "S3";

    public static string ModeFrom(IConfiguration configuration)
    {
        var mode = configuration["Storage:Mode"] is { Length: > 0 } m ? m : FileSystemMode;
        return mode.Equals(FileSystemMode, StringComparison.OrdinalIgnoreCase) ? FileSystemMode
            : mode.Equals(S3Mode, StringComparison.OrdinalIgnoreCase) ? S3Mode
            : throw new InvalidOperationException($"Setting 'Storage:Mode' must be '{FileSystemMode}' or '{S3Mode}', not '{mode}'.");
    }

    public static StorageOptions FromConfiguration(IConfiguration configuration)
    {
        var mode = ModeFrom(configuration);
        var publicBase = configuration["Storage:PublicBaseUrl"] is { Length: > 0 } cdn ? cdn : configuration.Require("App:PublicBaseUrl");
        string? signingKey = null;
        if (mode == FileSystemMode)
        {
            signingKey = configuration.Require("Storage:SigningKey");
            if (signingKey.Length < 32)
                throw new InvalidOperationException("Setting 'Storage:SigningKey' must be at least 32 characters.");
        }
        return new StorageOptions(
            mode,
            publicBase.TrimEnd('/'),
            signingKey,
            configuration["Storage:FileSystem:Root"] is { Length: > 0 } root ? Path.GetFullPath(root) : Path.Combine(configuration.DataDir(), "blobs"),
            mode == S3Mode ? S3Options.FromConfiguration(configuration) : null);
    }
}

/// <summary><c>Storage:S3:*</c>: any S3-compatible endpoint.</summary>
public sealed record S3Options(string? ServiceUrl, string Region, string Bucket, string? AccessKey, string? SecretKey,
    bool ForcePathStyle, bool CreateBucket)
{
    public static S3Options FromConfiguration(IConfiguration configuration) => new(
        configuration["Storage:S3:ServiceUrl"] is { Length: > 0 } url ? url : null,
        configuration["Storage:S3:Region"] is { Length: > 0 } region ? region : "us-east-1",
        configuration.Require("Storage:S3:Bucket"),
        configuration["Storage:S3:AccessKey"] is { Length: > 0 } ak ? ak : null,
        configuration["Storage:S3:SecretKey"] is { Length: > 0 } sk ? sk : null,
        configuration.GetValue("Storage:S3:ForcePathStyle", false),
        configuration.GetValue("Storage:S3:CreateBucket", true));
}
