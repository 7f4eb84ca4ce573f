using System.Data.Common;
using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace ControlPanel.Benchmarks;

/// <summary>
/// Writes many entities at once for a large benchmark directory, with the columns and value conversions of the app's
/// own model: PostgreSQL's binary COPY, or one prepared INSERT per row in large SQLite transactions. Not a domain path:
/// no change rows, no audit, no webhook events; the app reads the result at start as it reads any directory.
/// </summary>
static class BulkRows
{
    private const int RowsPerTransaction = 50_000;

    public static async Task InsertAsync<T>(ControlPanelDbContext db, IEnumerable<T> rows) where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Select(p => (Property: p, Column: p.GetColumnName(table)!)).ToList();
        object? Value(IProperty property, T row)
        {
            var value = property.GetGetter().GetClrValue(row);
            var converter = property.GetValueConverter() ?? property.GetTypeMapping().Converter;
            return converter is null || value is null ? value : converter.ConvertToProvider(value);
        }

        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync();
        var columnList = string.Join(", ", columns.Select(c => $"\"{c.Column}\""));
        if (connection is NpgsqlConnection postgres)
        {
            await using var import = await postgres.BeginBinaryImportAsync($"COPY \"{table.Name}\" ({columnList}) FROM STDIN (FORMAT BINARY)");
            // Completing a million rows (with their indexes) takes longer than a command's usual 30 s on a busy machine.
            import.Timeout = TimeSpan.FromMinutes(30);
            foreach (var row in rows)
            {
                await import.StartRowAsync();
                foreach (var (property, _) in columns)
                {
                    var value = Value(property, row);
                    if (value is null) await import.WriteNullAsync();
                    else await import.WriteAsync(value, TypeName(property.GetColumnType()));
                }
            }
            await import.CompleteAsync();
            return;
        }

        await using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO \"{table.Name}\" ({columnList}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
        DbTransaction? transaction = null;
        var count = 0;
        foreach (var row in rows)
        {
            if (count++ % RowsPerTransaction == 0)
            {
                if (transaction is not null) { await transaction.CommitAsync(); await transaction.DisposeAsync(); }
                transaction = await connection.BeginTransactionAsync();
                insert.Transaction = transaction;
            }
            if (insert.Parameters.Count == 0)
            {
                // The model's own mapping makes the parameters (SQLite stores GUIDs and times as text, as EF writes them).
                for (var i = 0; i < columns.Count; i++)
                {
                    var property = columns[i].Property;
                    insert.Parameters.Add(property.GetRelationalTypeMapping().CreateParameter(insert, $"@p{i}", property.GetGetter().GetClrValue(row), nullable: true));
                }
            }
            else
            {
                for (var i = 0; i < columns.Count; i++) insert.Parameters[i].Value = Value(columns[i].Property, row) ?? DBNull.Value;
            }
            insert.ExecuteNonQuery(); // SQLite does no I/O per row here: the synchronous call saves the async machinery

        }
        if (transaction is not null) { await transaction.CommitAsync(); await transaction.DisposeAsync(); }
    }

    /// <summary>A column type as COPY names it: without a length ("character varying(64)" is "character varying").</summary>
    private static string TypeName(string columnType) => columnType.Split('(')[0].Trim();
}
