using System.Globalization;
using ControlPanel.Domain.Usage;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace ControlPanel.UsageGenerator;

/// <summary>Fast bulk inserts of usage rows: prepared statements in large transactions (SQLite) or binary COPY (PostgreSQL).</summary>
public interface IRowWriter : IAsyncDisposable
{
    void Write(UsageDay day);
    void Write(UsageMinute minute);
    long DayRows { get; }
    long MinuteRows { get; }
}

/// <summary>
/// Writes values in the formats EF Core's SQLite provider uses, so the app's queries match them:
/// GUIDs as upper-case text, times as "yyyy-MM-dd HH:mm:ss", days as "yyyy-MM-dd", booleans as 0/1.
/// </summary>
public sealed class SqliteRowWriter : IRowWriter
{
    private const int RowsPerTransaction = 200_000;
    private readonly SqliteConnection _connection;
    private SqliteTransaction _transaction;
    private readonly SqliteCommand _day;
    private readonly SqliteCommand _minute;
    private int _pending;

    public long DayRows { get; private set; }
    public long MinuteRows { get; private set; }

    public SqliteRowWriter(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        foreach (var pragma in new[] { "PRAGMA journal_mode=WAL", "PRAGMA synchronous=OFF", "PRAGMA cache_size=-200000" })
        {
            using var command = _connection.CreateCommand();
            command.CommandText = pragma;
            command.ExecuteNonQuery();
        }
        _transaction = _connection.BeginTransaction();
        _day = Prepare("""INSERT INTO "UsageDays" ("ApplicationId", "Day", "Environment", "Outcome", "Counted", "Calls") VALUES ($a, $t, $e, $o, $c, $n)""");
        _minute = Prepare("""INSERT INTO "UsageMinutes" ("ApplicationId", "Minute", "KeyPairId", "Environment", "Outcome", "Counted", "Calls") VALUES ($a, $t, $k, $e, $o, $c, $n)""");
    }

    private SqliteCommand Prepare(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _transaction;
        foreach (var name in new[] { "$a", "$t", "$k", "$e", "$o", "$c", "$n" })
            if (sql.Contains(name)) command.Parameters.Add(new SqliteParameter(name, null));
        command.Prepare();
        return command;
    }

    public void Write(UsageDay day)
    {
        _day.Parameters["$a"].Value = Text(day.ApplicationId);
        _day.Parameters["$t"].Value = day.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        _day.Parameters["$e"].Value = day.Environment;
        _day.Parameters["$o"].Value = day.Outcome;
        _day.Parameters["$c"].Value = day.Counted ? 1 : 0;
        _day.Parameters["$n"].Value = day.Calls;
        _day.ExecuteNonQuery();
        DayRows++;
        Step();
    }

    public void Write(UsageMinute minute)
    {
        _minute.Parameters["$a"].Value = Text(minute.ApplicationId);
        _minute.Parameters["$t"].Value = minute.Minute.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        _minute.Parameters["$k"].Value = Text(minute.KeyPairId);
        _minute.Parameters["$e"].Value = minute.Environment;
        _minute.Parameters["$o"].Value = minute.Outcome;
        _minute.Parameters["$c"].Value = minute.Counted ? 1 : 0;
        _minute.Parameters["$n"].Value = minute.Calls;
        _minute.ExecuteNonQuery();
        MinuteRows++;
        Step();
    }

    private static string Text(Guid id) => id.ToString().ToUpperInvariant();

    private void Step()
    {
        if (++_pending < RowsPerTransaction) return;
        _transaction.Commit();
        _transaction = _connection.BeginTransaction();
        _day.Transaction = _minute.Transaction = _transaction;
        _pending = 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.CommitAsync();
        await using (var analyze = _connection.CreateCommand())
        {
            // Fresh statistics, as a long-running database would have, so the planner picks the indexes.
            analyze.CommandText = "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);";
            await analyze.ExecuteNonQueryAsync();
        }
        await _day.DisposeAsync();
        await _minute.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

/// <summary>Binary COPY into both tables, one connection each (a connection holds one COPY at a time).</summary>
public sealed class PostgresRowWriter : IRowWriter
{
    private readonly NpgsqlConnection _dayConnection;
    private readonly NpgsqlConnection _minuteConnection;
    private readonly NpgsqlBinaryImporter _days;
    private readonly NpgsqlBinaryImporter _minutes;
    private readonly string _connectionString;

    public long DayRows { get; private set; }
    public long MinuteRows { get; private set; }

    public PostgresRowWriter(string connectionString)
    {
        _connectionString = connectionString;
        _dayConnection = new NpgsqlConnection(connectionString);
        _dayConnection.Open();
        _minuteConnection = new NpgsqlConnection(connectionString);
        _minuteConnection.Open();
        _days = _dayConnection.BeginBinaryImport("""COPY "UsageDays" ("ApplicationId", "Day", "Environment", "Outcome", "Counted", "Calls") FROM STDIN (FORMAT BINARY)""");
        _minutes = _minuteConnection.BeginBinaryImport("""COPY "UsageMinutes" ("ApplicationId", "Minute", "KeyPairId", "Environment", "Outcome", "Counted", "Calls") FROM STDIN (FORMAT BINARY)""");
    }

    public void Write(UsageDay day)
    {
        _days.StartRow();
        _days.Write(day.ApplicationId, NpgsqlDbType.Uuid);
        _days.Write(day.Day, NpgsqlDbType.Date);
        _days.Write(day.Environment, NpgsqlDbType.Varchar);
        _days.Write(day.Outcome, NpgsqlDbType.Integer);
        _days.Write(day.Counted, NpgsqlDbType.Boolean);
        _days.Write(day.Calls, NpgsqlDbType.Bigint);
        DayRows++;
    }

    public void Write(UsageMinute minute)
    {
        _minutes.StartRow();
        _minutes.Write(minute.ApplicationId, NpgsqlDbType.Uuid);
        _minutes.Write(minute.Minute, NpgsqlDbType.TimestampTz);
        _minutes.Write(minute.KeyPairId, NpgsqlDbType.Uuid);
        _minutes.Write(minute.Environment, NpgsqlDbType.Varchar);
        _minutes.Write(minute.Outcome, NpgsqlDbType.Integer);
        _minutes.Write(minute.Counted, NpgsqlDbType.Boolean);
        _minutes.Write(minute.Calls, NpgsqlDbType.Bigint);
        MinuteRows++;
    }

    public async ValueTask DisposeAsync()
    {
        await _days.CompleteAsync();
        await _days.DisposeAsync();
        await _minutes.CompleteAsync();
        await _minutes.DisposeAsync();
        await _dayConnection.DisposeAsync();
        await _minuteConnection.DisposeAsync();
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        // One statement each: VACUUM refuses to run inside a multi-statement batch.
        foreach (var table in new[] { "UsageDays", "UsageMinutes" })
        {
            await using var vacuum = new NpgsqlCommand($"""VACUUM ANALYZE "{table}" """, connection) { CommandTimeout = 0 };
            await vacuum.ExecuteNonQueryAsync();
        }
    }
}
