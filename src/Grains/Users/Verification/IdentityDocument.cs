using System.Buffers;
using System.Text;
using NeXChange.Errors;
using NeXChange.Images;

namespace NeXChange.Users.Verification;

/// <summary>
/// What an identity document upload is (SPEC.md 3.8), from its bytes only: JPEG or PNG (then re-encoded without
/// metadata by the photo pipeline, which refuses broken images and bombs with 422 <c>image_invalid</c>) or PDF (kept
/// as uploaded). Anything else, an empty file included, is 415. A PDF must look like one throughout: a
/// <c>%PDF-x.y</c> header, a <c>%%EOF</c> trailer, and no HTML markup anywhere, because a browser that sniffs the
/// content would run a <c>%PDF-</c>+HTML polyglot as a page; such a file is refused with 415 as well, since it is
/// not the document type it claims to be.
/// </summary>
public static class IdentityDocument
{
    public enum Kind { Image, Pdf }

    /// <summary>Room after <c>%%EOF</c> for line ends and the padding some writers add.</summary>
    private const int TrailerWindow = 1024;

    /// <summary>
    /// Markup that makes a page of its own. At least five characters each: shorter ones (<c>&lt;img</c>) turn up by
    /// chance in the compressed streams of genuine PDFs.
    /// </summary>
    private static readonly SearchValues<string> HtmlMarkers = SearchValues.Create(
        ["<html", "<head", "<body", "<script", "<iframe", "<!doctype", "<object", "<embed", "javascript:"],
        StringComparison.OrdinalIgnoreCase);

    public static Kind Classify(ReadOnlySpan<byte> file)
    {
        if (UploadFormats.Sniff(file) is UploadFormat.Jpeg or UploadFormat.Png) return Kind.Image;
        if (!file.StartsWith("%PDF-"u8)) throw Unsupported("A document is a JPEG, PNG or PDF file.");
        if (!IsPdf(file)) throw Unsupported("The file is not a well-formed PDF document.");
        return Kind.Pdf;
    }

    private static bool IsPdf(ReadOnlySpan<byte> file)
    {
        // "%PDF-" then a version such as 1.7 or 2.0.
        if (file.Length < 8 || !char.IsAsciiDigit((char)file[5]) || file[6] != '.' || !char.IsAsciiDigit((char)file[7])) return false;
        if (file[Math.Max(0, file.Length - TrailerWindow)..].IndexOf("%%EOF"u8) < 0) return false;
        // Latin-1 maps each byte to one char, so the markers are found wherever they are, in any case.
        return !Encoding.Latin1.GetString(file).AsSpan().ContainsAny(HtmlMarkers);
    }

    private static DomainException Unsupported(string detail) => new(ErrorCodes.UnsupportedMediaType, detail);
}
