using System.Collections.Concurrent;
using Dapper;
using Npgsql;

namespace Migrator.Tests.Adoption;

/// <summary>
/// The traffic of one version of the box office app (sample-schemas/boxoffice): it reads through every
/// view and the materialized view, reads a venue's town from the table as that version names it, and
/// sells tickets and opens venues in that version's shape. Every exception is an error; every row it
/// wrote is remembered with the values the final shape must show.
/// </summary>
public sealed class BoxOfficeWorkload(int version, NpgsqlDataSource db)
{
    private static readonly string[] Channels = ["web", "desk", "phone"];
    private static int _next;
    private readonly CancellationTokenSource _stop = new();
    private Task? _task;

    public int Version { get; } = version;

    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Tickets sold: id → (holder_first, holder_last, price_cents) as they must read at the end.</summary>
    public ConcurrentDictionary<long, (string First, string Last, long Price)> Tickets { get; } = new();

    /// <summary>Venues opened: name → town.</summary>
    public ConcurrentDictionary<string, string> Venues { get; } = new();

    public long Statements;

    public void Start() => _task = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Returns once no statement of this version runs any more.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_task is not null)
        {
            await _task;
        }
    }

    /// <summary>Lets at least <paramref name="count"/> more statements run (so each phase meets traffic).</summary>
    public async Task RunsAsync(long count)
    {
        long until = Interlocked.Read(ref Statements) + count;
        while (Interlocked.Read(ref Statements) < until && _task is { IsCompleted: false })
        {
            await Task.Delay(10);
        }
    }

    private string Venues_ => Version >= 5 ? "box.places" : "box.venues";

    private string Town => Version >= 2 ? "town" : "city";

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            int n = Interlocked.Increment(ref _next);
            try
            {
                await using var connection = await db.OpenConnectionAsync(CancellationToken.None);
                await connection.QueryAsync("SELECT count(*) FROM box.event_listing WHERE city = @city", new { city = "Lyon" });
                await connection.QueryAsync("SELECT count(*) FROM box.upcoming WHERE city = @city", new { city = "Porto" });
                await connection.QueryAsync("SELECT sum(price_cents) FROM box.ticket_sales WHERE event_id = @e", new { e = 1 + (n % 400) });
                await connection.QueryAsync("SELECT revenue, sold FROM box.daily_revenue WHERE event_id = @e", new { e = 1 + (n % 400) });
                await connection.QueryAsync($"SELECT {Town} FROM {Venues_} WHERE venue_id = @v", new { v = 1 + (n % 40) });

                string first = $"V{Version}n{n}";
                string last = $"Last{n}";
                var soldOn = new DateTime(2026, 1, 1).AddDays(n % 700);
                string channel = Channels[n % 3];
                long price = 500 + n;
                long id = Version >= 3
                    ? await connection.ExecuteScalarAsync<long>(
                        "INSERT INTO box.tickets (sold_on, channel, event_id, holder_first, holder_last, price_cents) VALUES (@soldOn, @channel, @e, @first, @last, @price) RETURNING ticket_id",
                        new { soldOn, channel, e = 1 + (n % 400), first, last, price })
                    : await connection.ExecuteScalarAsync<long>(
                        "INSERT INTO box.tickets (sold_on, channel, event_id, holder_name, price_cents) VALUES (@soldOn, @channel, @e, @name, @price) RETURNING ticket_id",
                        new { soldOn, channel, e = 1 + (n % 400), name = first + " " + last, price = (int)price });
                Tickets[id] = (first, last, price);

                if (n % 5 == 0)
                {
                    string name = $"Hall {n} (v{Version})";
                    await connection.ExecuteAsync($"INSERT INTO {Venues_} (name, {Town}, seats) VALUES (@name, @town, 300)", new { name, town = $"Town{n}" });
                    Venues[name] = $"Town{n}";
                }

                Interlocked.Add(ref Statements, n % 5 == 0 ? 7 : 6);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Errors.Enqueue($"v{Version}: {e.Message}");
            }

            await Task.Delay(5, CancellationToken.None);
        }
    }
}
