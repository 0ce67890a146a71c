using System.Net.NetworkInformation;
using System.Net.Sockets;
using Npgsql;

namespace Migrator.Bench;

/// <summary>
/// An address of this machine other than a loopback one, for the pacing bench's writers that the server
/// must take for an app on another host: connected to it, a client's <c>client_addr</c> is that address,
/// which the pacing does not count as the database's host when the backfill itself comes over 127.0.0.1
/// (<c>AppImpact.LocalClient</c>). The writer still runs on this machine's cores: what such a point
/// measures is the pacing's choice for a remote app, with a client that costs this machine what it costs.
/// </summary>
public static class RemoteAddress
{
    /// <summary>The first IPv4 address of an interface that is up and not a loopback, or null.</summary>
    public static string? Find() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !System.Net.IPAddress.IsLoopback(a))
            ?.ToString();

    /// <summary>The connection string with its host replaced by <paramref name="address"/>.</summary>
    public static string Via(string connectionString, string address) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Host = address }.ConnectionString;
}
