using System.Text.Json;
using Microsoft.Extensions.Options;
using NeXChange.Errors;

namespace NeXChange.Api.Endpoints;

/// <summary>
/// A dispute or its answer as either body SPEC.md 8.4 allows: JSON without evidence, or multipart with the fields
/// <c>reason</c> (opening only), <c>description</c> and 0–5 image files named <c>evidence</c>.
/// </summary>
public sealed record DisputeForm(string? Reason, string? Description, IReadOnlyList<byte[]> Evidence)
{
    public static async Task<DisputeForm> Read(HttpContext http, bool withReason)
    {
        var request = http.Request;
        if (request.HasFormContentType) return await ReadForm(http, withReason);
        if (!request.HasJsonContentType())
            throw new DomainException(ErrorCodes.UnsupportedMediaType, "Send application/json or multipart/form-data.");
        var options = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var (reason, description, evidence) = withReason
            ? await request.ReadFromJsonAsync<Disputes.OpenBody>(options, http.RequestAborted) is { } open
                ? (open.Reason, open.Description, open.Evidence)
                : throw new JsonException("The body is empty.")
            : await request.ReadFromJsonAsync<Disputes.ResponseBody>(options, http.RequestAborted) is { } answer
                ? (null, answer.Description, answer.Evidence)
                : throw new JsonException("The body is empty.");
        if (evidence is { Count: > 0 })
            throw DomainException.Validation("evidence", FieldCodes.InvalidValue, "Evidence images are sent as multipart files named 'evidence'.");
        return new DisputeForm(reason, description, []);
    }

    private static async Task<DisputeForm> ReadForm(HttpContext http, bool withReason)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        string[] fields = withReason ? ["reason", "description"] : ["description"];
        if (form.Keys.FirstOrDefault(k => !fields.Contains(k)) is { } unknown)
            throw DomainException.Validation(unknown, FieldCodes.UnknownValue, $"Unknown field '{unknown}'.");
        if (form.Files.Any(f => f.Name != "evidence"))
            throw DomainException.Validation("evidence", FieldCodes.UnknownValue, "Files are sent in fields named 'evidence'.");
        if (form.Files.Count > Trading.DisputeSubmission.MaxEvidence)
            throw DomainException.Validation("evidence", FieldCodes.OutOfRange, $"At most {Trading.DisputeSubmission.MaxEvidence} evidence images.");
        var evidence = new List<byte[]>();
        foreach (var file in form.Files) evidence.Add(await Uploads.ReadImage(file, http.RequestAborted));
        return new DisputeForm(withReason ? form["reason"].ToString() : null, form["description"].ToString(), evidence);
    }
}
