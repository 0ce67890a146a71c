using System.Security.Cryptography;
using System.Text;

namespace Migrator.Dialects.Postgres;

/// <summary>Names Migrator makes for its own objects, and PostgreSQL's identifier limit.</summary>
public static class PgNames
{
    /// <summary>PostgreSQL's identifier limit (NAMEDATALEN − 1), in bytes of UTF-8.</summary>
    public const int MaxBytes = 63;

    /// <summary>Bytes the name takes in PostgreSQL (UTF-8).</summary>
    public static int Bytes(string name) => Encoding.UTF8.GetByteCount(name);

    /// <summary>
    /// A name Migrator makes (trigger, function, shadow column, check), kept within 63 bytes so that
    /// PostgreSQL never truncates it: a name that is too long keeps its longest prefix that fits on a
    /// character boundary, followed by <c>_</c> and 8 hex digits of the full name's SHA-256, so two long
    /// names that share a prefix still differ.
    /// </summary>
    public static string Fit(string name)
    {
        if (Bytes(name) <= MaxBytes)
        {
            return name;
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        int budget = MaxBytes - 1 - hash.Length;
        var prefix = new StringBuilder();
        int used = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            used += rune.Utf8SequenceLength;
            if (used > budget)
            {
                break;
            }

            prefix.Append(rune.ToString());
        }

        return prefix + "_" + hash;
    }

    /// <summary>Refuses (exit 2) an identifier PostgreSQL would truncate: one over 63 bytes.</summary>
    public static string Check(string name) => Bytes(name) <= MaxBytes
        ? name
        : throw new MigratorException(ExitCodes.BadInput,
            $"identifier \"{name}\" is {Bytes(name)} bytes long; PostgreSQL allows {MaxBytes} and would silently truncate it: use a shorter name");

    /// <summary>A dollar-quote tag that does not occur in <paramref name="body"/>, so no text in the body
    /// (an identifier containing <c>$migrator$</c>, say) can end the quoted body early.</summary>
    public static string DollarTag(string body)
    {
        string tag = "$migrator$";
        for (int n = 1; body.Contains(tag, StringComparison.Ordinal); n++)
        {
            tag = $"$migrator_{n}$";
        }

        return tag;
    }
}
