using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeXChange.Api.Tests.Dashboard;

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol with nothing but a WebSocket: Playwright for .NET
/// would download its own browser, which this machine cannot. Missing Chromium fails the test (deploy/test.sh
/// installs it). Each <see cref="NewVisitorAsync"/> is a separate browser context: its own cookie jar.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly Process process;
    private readonly string profile;
    private readonly ClientWebSocket socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> pending = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> loads = new();
    private readonly SemaphoreSlim sending = new(1, 1);
    private readonly CancellationTokenSource stop = new();
    private int nextId;
    private Task? receiving;

    private HeadlessChromium(Process process, string profile)
    {
        this.process = process;
        this.profile = profile;
    }

    public static async Task<HeadlessChromium> StartAsync()
    {
        if (!File.Exists(Executable)) throw new InvalidOperationException($"{Executable} is missing: deploy/test.sh installs Debian's chromium.");
        var profile = Directory.CreateTempSubdirectory("nexchange-chromium-").FullName;
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        // No sandbox (it refuses to run as root), no GPU, and no background connections to Google's hosts, which a
        // closed network refuses; a profile of its own, so nothing is shared with another run.
        foreach (var flag in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--remote-debugging-port=0", $"--user-data-dir={profile}", "about:blank"])
            start.ArgumentList.Add(flag);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        // Once it listens, Chromium prints "DevTools listening on ws://..." on stderr: the browser's address, awaited as
        // an event. The rest of its chatter is drained and dropped, so a full pipe never stalls it.
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text && text.StartsWith("DevTools listening on ", StringComparison.Ordinal))
                listening.TrySetResult(text["DevTools listening on ".Length..].Trim());
        };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"chromium exited with code {process.ExitCode}."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new HeadlessChromium(process, profile);
        await browser.ConnectAsync(await listening.Task.WaitAsync(Deadline));
        return browser;
    }

    private async Task ConnectAsync(string address)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        await socket.ConnectAsync(new Uri(address), timeout.Token);
        receiving = Task.Run(ReceiveAsync);
    }

    /// <summary>A fresh browser context (no cookies) with one blank tab.</summary>
    public async Task<Tab> NewVisitorAsync()
    {
        var context = (string)(await SendAsync("Target.createBrowserContext", new JsonObject()))["browserContextId"]!;
        var target = (string)(await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank", ["browserContextId"] = context }))["targetId"]!;
        var session = (string)(await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target, ["flatten"] = true }))["sessionId"]!;
        var tab = new Tab(this, session);
        await tab.SendAsync("Page.enable");
        await tab.SendAsync("Network.enable");
        return tab;
    }

    private async Task<JsonNode> SendAsync(string method, JsonObject parameters, string? session = null)
    {
        var id = Interlocked.Increment(ref nextId);
        var answer = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = answer;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (session is not null) message["sessionId"] = session;
        await sending.WaitAsync();
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, stop.Token);
        }
        finally
        {
            sending.Release();
        }
        return await answer.Task.WaitAsync(Deadline);
    }

    private TaskCompletionSource<bool> NextLoad(string session) =>
        loads[session] = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (!stop.IsCancellationRequested && socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult part;
            try
            {
                part = await socket.ReceiveAsync(buffer, stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
                break;
            }
            message.Write(buffer, 0, part.Count);
            if (!part.EndOfMessage) continue;
            var node = JsonNode.Parse(message.ToArray())!;
            message.SetLength(0);
            if (node["id"] is { } id && pending.TryRemove((int)id, out var answer))
            {
                if (node["error"] is { } error) answer.SetException(new InvalidOperationException($"DevTools: {error.ToJsonString()}"));
                else answer.SetResult(node["result"] ?? new JsonObject());
            }
            else if ((string?)node["method"] == "Page.loadEventFired" && (string?)node["sessionId"] is { } session
                     && loads.TryGetValue(session, out var load))
            {
                load.TrySetResult(true);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (receiving is not null) await receiving;
        socket.Dispose();
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        stop.Dispose();
        sending.Dispose();
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
            // A helper process may still hold a file for a moment; the temp folder is cleaned by the system.
        }
    }

    /// <summary>One tab of one visitor.</summary>
    public sealed class Tab(HeadlessChromium browser, string session)
    {
        public Task<JsonNode> SendAsync(string method, JsonObject? parameters = null) =>
            browser.SendAsync(method, parameters ?? new JsonObject(), session);

        /// <summary>Opens <paramref name="url"/> and waits for the page, after any redirects, to load.</summary>
        public async Task GoToAsync(Uri url)
        {
            var load = browser.NextLoad(session);
            await SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });
            await load.Task.WaitAsync(Deadline);
        }

        /// <summary>Runs <paramref name="action"/> (a click, say) and waits for the page it leads to.</summary>
        public async Task NavigateByAsync(string action)
        {
            var load = browser.NextLoad(session);
            await EvaluateAsync(action);
            await load.Task.WaitAsync(Deadline);
        }

        /// <summary>The value of a JavaScript expression in the page (promises awaited).</summary>
        public async Task<JsonNode?> EvaluateAsync(string expression)
        {
            var result = await SendAsync("Runtime.evaluate", new JsonObject
            {
                ["expression"] = expression,
                ["awaitPromise"] = true,
                ["returnByValue"] = true,
            });
            if (result["exceptionDetails"] is { } failure) throw new InvalidOperationException($"Page script failed: {failure.ToJsonString()}");
            return result["result"]?["value"];
        }

        public async Task<string> UrlAsync() => (string)(await EvaluateAsync("location.href"))!;

        /// <summary>The HTTP status of the document now shown (after redirects, the last answer's).</summary>
        public async Task<int> StatusAsync() => (int)(await EvaluateAsync("performance.getEntriesByType('navigation')[0].responseStatus"))!;

        public async Task<string> HtmlAsync() => (string)(await EvaluateAsync("document.documentElement.outerHTML"))!;

        /// <summary>The cookies the browser would send to <paramref name="url"/>.</summary>
        public async Task<JsonArray> CookiesAsync(Uri url) =>
            (JsonArray)(await SendAsync("Network.getCookies", new JsonObject { ["urls"] = new JsonArray(url.ToString()) }))["cookies"]!;
    }
}
