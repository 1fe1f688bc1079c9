using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace NeXChange.Api.Tests;

/// <summary>Keeps every message the hosts log, formatted and with its exception, for tests of what logs may hold.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>Both hosts log everything into <see cref="Logs"/>, Trace included: Orleans traces every message body.</summary>
public sealed class LogCaptureFixture : ApiFixture
{
    public LogCapture Logs { get; } = new();

    protected override void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.AddProvider(Logs);
        logging.AddFilter<LogCapture>(null, LogLevel.Trace);
    }
}
