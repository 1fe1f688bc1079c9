namespace NeXChange.Errors;

/// <summary>
/// A refused request, raised by grains and mapped once to problem+json by the API. It crosses the
/// silo/client boundary, so everything it carries is serializable: the code, an optional detail that never
/// holds another user's data, field errors, and the code-specific members of SPEC.md 9.1.
/// </summary>
[GenerateSerializer, Alias("NeXChange.DomainException")]
public sealed class DomainException : Exception
{
    public DomainException(string code, string? detail = null, IReadOnlyList<FieldError>? errors = null,
        IReadOnlyDictionary<string, object>? extensions = null)
        : base(detail ?? code)
    {
        Code = code;
        Detail = detail;
        Errors = errors ?? [];
        Extensions = extensions ?? new Dictionary<string, object>();
    }

    [Id(0)] public string Code { get; }
    [Id(1)] public string? Detail { get; }
    [Id(2)] public IReadOnlyList<FieldError> Errors { get; }
    [Id(3)] public IReadOnlyDictionary<string, object> Extensions { get; }

    public static DomainException Validation(params FieldError[] errors) =>
        new(ErrorCodes.ValidationFailed, "One or more fields are invalid.", errors);

    public static DomainException Validation(string field, string code, string message) =>
        Validation(new FieldError(field, code, message));

    public static DomainException NotFound() => new(ErrorCodes.NotFound);
}

/// <summary>One field's rule violation; <see cref="Field"/> is the JSON path the client sent.</summary>
[GenerateSerializer, Alias("NeXChange.FieldError")]
public sealed record FieldError([property: Id(0)] string Field, [property: Id(1)] string Code, [property: Id(2)] string Message);
