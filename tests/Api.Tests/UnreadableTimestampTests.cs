using System.Net;
using System.Text;
using NeXChange.Api.Tests.Trading;

namespace NeXChange.Api.Tests;

/// <summary>
/// A request timestamp that is not RFC 3339 is a 400 naming the member, not a 500: the API's timestamp converter
/// threw a FormatException, which the error mapping rightly treats as unexpected.
/// </summary>
[Collection(TradeStagesCollection.Name)]
public sealed class UnreadableTimestampTests(TradeStagesFixture api)
{
    [Theory]
    [InlineData("tomorrow")]
    [InlineData("2030-13-45T10:00:00.000Z")]
    [InlineData("")]
    public async Task an_unreadable_meetup_time_is_validation_failed_on_proposedAt(string proposedAt)
    {
        var trade = await api.At(TradeStage.Accepted);
        var before = await TradeSnapshot.Of(trade);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/trades/{trade.Id}/time")
        {
            Content = new StringContent($$"""{"proposedAt":"{{proposedAt}}"}""", Encoding.UTF8, "application/json"),
        };
        var problem = await TradeRig.Refused(trade.Rig.Seller, request, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("proposedAt", problem.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(before, await TradeSnapshot.Of(trade));
    }
}
