using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace NeXChange.TestSupport;

/// <summary>
/// A TCP proxy on loopback between the code under test and the real PostgreSQL, to inject the network faults a
/// database restart or a dying connection cause, at exact protocol points instead of at a moment in time:
/// <see cref="SeverAll"/> drops every connection, <see cref="Refuse"/> turns new ones away until <see cref="Accept"/>,
/// and <see cref="LoseNextCommitAcknowledgement"/> lets the server commit but drops the connection before its answer
/// reaches the client. It reads the server's message framing, so connections through it must not use TLS.
/// </summary>
public sealed class PostgresFaultProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint server;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<(TcpClient Client, TcpClient Server)> links = [];
    private readonly Lock gate = new();
    private readonly Task accepting;
    private volatile bool refusing;
    private TaskCompletionSource? commitLost;

    public PostgresFaultProxy(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        server = new IPEndPoint(IPAddress.Parse(builder.Host!), builder.Port);
        listener.Start();
        accepting = AcceptLoopAsync();
    }

    /// <summary>The connection string with host and port pointing at the proxy (TLS off, no pooling surprises).</summary>
    public string Through(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString)
    {
        Host = "127.0.0.1",
        Port = ((IPEndPoint)listener.LocalEndpoint).Port,
        SslMode = SslMode.Disable,
    }.ConnectionString;

    /// <summary>Closes every open connection, as a server restart does.</summary>
    public void SeverAll()
    {
        lock (gate)
        {
            foreach (var (client, upstream) in links)
            {
                client.Close();
                upstream.Close();
            }
            links.Clear();
        }
    }

    public void Refuse() => refusing = true;

    public void Accept() => refusing = false;

    /// <summary>
    /// Arms the proxy: the next COMMIT the server confirms is dropped on its way back and the connection closed. The
    /// returned task completes once that happened.
    /// </summary>
    public Task LoseNextCommitAcknowledgement()
    {
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        commitLost = lost;
        return lost.Task;
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            if (refusing)
            {
                client.Close();
                continue;
            }
            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(server, stopping.Token);
            }
            catch (SocketException)
            {
                client.Close();
                upstream.Dispose();
                continue;
            }
            lock (gate) links.Add((client, upstream));
            _ = PumpAsync(client.GetStream(), upstream.GetStream(), inspect: false, client, upstream);
            _ = PumpAsync(upstream.GetStream(), client.GetStream(), inspect: true, client, upstream);
        }
    }

    /// <summary>
    /// Copies one direction. Server-to-client traffic is copied message by message (type byte, big-endian length) so
    /// that a CommandComplete "COMMIT" can be held back when armed.
    /// </summary>
    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool inspect, TcpClient client, TcpClient upstream)
    {
        try
        {
            if (!inspect)
            {
                await from.CopyToAsync(to, stopping.Token);
                return;
            }
            var header = new byte[5];
            while (true)
            {
                await from.ReadExactlyAsync(header, stopping.Token);
                var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
                var body = new byte[length - 4];
                await from.ReadExactlyAsync(body, stopping.Token);
                if (header[0] == (byte)'C' && commitLost is { } armed && Encoding.ASCII.GetString(body).StartsWith("COMMIT", StringComparison.Ordinal))
                {
                    commitLost = null;
                    client.Close();
                    upstream.Close();
                    armed.TrySetResult();
                    return;
                }
                await to.WriteAsync(header, stopping.Token);
                await to.WriteAsync(body, stopping.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // A severed, refused or finished connection ends both of its pumps.
        }
        finally
        {
            client.Close();
            upstream.Close();
            lock (gate) links.Remove((client, upstream));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        SeverAll();
        await accepting;
        stopping.Dispose();
    }
}
