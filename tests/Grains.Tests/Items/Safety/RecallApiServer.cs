using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace NeXChange.Grains.Tests.Items.Safety;

/// <summary>
/// A real HTTP server on a free loopback port standing in for the recall API: it answers what the test sets,
/// and records the query of each request it received.
/// </summary>
public sealed class RecallApiServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource received = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Func<HttpContext, Task> answer = Recalls("[]");

    private RecallApiServer(WebApplication app) => this.app = app;

    public Uri BaseUrl => new(app.Urls.Single() + "/RestWebServices/Recall");

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Completes when the first request arrives.</summary>
    public Task Received => received.Task;

    public static async Task<RecallApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(1));
        builder.Logging.ClearProviders();
        var server = new RecallApiServer(builder.Build());
        server.app.Run(context =>
        {
            server.Requests.Enqueue(context.Request.QueryString.Value ?? "");
            server.received.TrySetResult();
            return server.answer(context);
        });
        await server.app.StartAsync();
        return server;
    }

    public void AnswerRecalls(string json) => answer = Recalls(json);

    public void AnswerStatus(int status) => answer = context =>
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    };

    public void AnswerMalformed() => answer = context =>
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("""[{"RecallID": 1}, {"RecallID": """);
    };

    /// <summary>Never answers; the request ends when the client gives up or the server stops.</summary>
    public void Hang() => answer = async context =>
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
        await Task.Delay(Timeout.Infinite, either.Token).ContinueWith(_ => { }, TaskScheduler.Default);
    };

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        stopping.Dispose();
    }

    private static Func<HttpContext, Task> Recalls(string json) => context =>
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    };
}
