using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;

namespace NeXChange.Faults.Tests;

/// <summary>One transfer as a client orders it; <see cref="Number"/> says when it started relative to the others.</summary>
public sealed record DrillTransfer(long Number, DrillUser From, Guid To, long AmountMinor, string Key)
{
    public string LedgerKey => $"transfer:{From.Id}:{Key}";

    public HttpRequestMessage Request()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/credits/transfers")
        {
            Content = JsonContent.Create(new { toUserId = To, amountMinor = AmountMinor }),
        }.Authorized(From);
        request.Headers.Add("Idempotency-Key", Key);
        return request;
    }
}

public sealed record Acknowledgement(DrillTransfer Transfer, Guid TransactionId);

/// <summary>
/// Continuous transfers between the drill's users through every API node, as careful clients send them (SPEC.md 2.7):
/// whatever did not get a final answer (no connection, a timeout, a 5xx, idempotency_in_progress) is sent again with
/// the same Idempotency-Key, to the next node. Every 201 is remembered; a transfer still unsettled when the load stops
/// has no acknowledged outcome and is not counted.
/// </summary>
public sealed class TransferLoad : IAsyncDisposable
{
    /// <summary>How often a transfer without a final answer is sent again.</summary>
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(200);

    private readonly IReadOnlyList<DrillUser> users;
    private readonly IReadOnlyList<HttpClient> apis;
    private readonly ConcurrentDictionary<string, Acknowledgement> acknowledged = new();
    private readonly ConcurrentQueue<string> unexpected = new();
    private readonly CancellationTokenSource stop = new();
    private readonly SemaphoreSlim slots;
    private readonly ConcurrentDictionary<long, Task> inFlight = new();
    private Task dispatcher = Task.CompletedTask;
    private long numbered;

    private TransferLoad(IReadOnlyList<DrillUser> users, IReadOnlyList<HttpClient> apis, int concurrency)
    {
        slots = new SemaphoreSlim(concurrency);
        this.users = users;
        this.apis = apis;
    }

    /// <summary>
    /// Up to <paramref name="concurrency"/> transfers in flight, a new one started as soon as any settles: transfers
    /// stuck on a dead node hold their slot, the others go on, as independent clients would.
    /// </summary>
    public static TransferLoad Start(IReadOnlyList<DrillUser> users, IReadOnlyList<HttpClient> apis, int concurrency)
    {
        var load = new TransferLoad(users, apis, concurrency);
        load.dispatcher = Task.Run(load.DispatchAsync);
        return load;
    }

    public IReadOnlyCollection<Acknowledgement> Acknowledged => acknowledged.Values.ToList();

    /// <summary>Answers no careful client expects (a 500, a refusal other than insufficient funds), as "status code: body".</summary>
    public IReadOnlyCollection<string> Unexpected => unexpected.ToList();

    /// <summary>The number the next transfer to start gets: a mark taken at a fault.</summary>
    public long NextNumber => Interlocked.Read(ref numbered);

    /// <summary>
    /// Whether every user has a transfer started at or after <paramref name="mark"/> acknowledged: their account grains,
    /// wherever they were (on a killed silo too), answer again.
    /// </summary>
    public bool EverySenderServedSince(long mark) =>
        acknowledged.Values.Where(a => a.Transfer.Number >= mark).Select(a => a.Transfer.From).Distinct().Count() == users.Count;

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await dispatcher;
        await Task.WhenAll(inFlight.Values);
        stop.Dispose();
        slots.Dispose();
    }

    private async Task DispatchAsync()
    {
        var random = new Random(20261203);
        while (true)
        {
            try
            {
                await slots.WaitAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var from = users[random.Next(users.Count)];
            var to = users.Where(u => u != from).ElementAt(random.Next(users.Count - 1));
            var transfer = new DrillTransfer(Interlocked.Increment(ref numbered) - 1, from, to.Id, random.Next(1, 20), Guid.NewGuid().ToString());
            inFlight[transfer.Number] = Task.Run(async () =>
            {
                await SettleAsync(transfer);
                inFlight.TryRemove(transfer.Number, out _);
                slots.Release();
            });
        }
    }

    private async Task SettleAsync(DrillTransfer transfer)
    {
        // Retries go out on the ticks of a timer, as a client's retry schedule: pacing only, nothing is timed or asserted.
        using var retries = new PeriodicTimer(RetryPause);
        for (var attempt = 0; !stop.IsCancellationRequested; attempt++)
        {
            try
            {
                using var response = await apis[(int)((transfer.Number + attempt) % apis.Count)].SendAsync(transfer.Request(), stop.Token);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var body = await DrillUsers.JsonAsync(response);
                    acknowledged[transfer.Key] = new Acknowledgement(transfer, body.GetProperty("transactionId").GetGuid());
                    return;
                }
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.UnprocessableEntity && text.Contains("\"insufficient_funds\"", StringComparison.Ordinal)) return;
                var retryable = response.StatusCode == HttpStatusCode.ServiceUnavailable
                    || (response.StatusCode == HttpStatusCode.Conflict && text.Contains("\"idempotency_in_progress\"", StringComparison.Ordinal));
                if (!retryable)
                {
                    unexpected.Enqueue($"{(int)response.StatusCode}: {text}");
                    if ((int)response.StatusCode < 500) return;
                }
            }
            catch (HttpRequestException)
            {
                // No connection (a killed API node): the next node at once.
                continue;
            }
            catch (TaskCanceledException) when (!stop.IsCancellationRequested)
            {
                // No answer in time: the outcome is unknown, so the same key again.
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            try
            {
                await retries.WaitForNextTickAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
