using ControlPanel.Domain.Data;

namespace ControlPanel.UsageGenerator;

/// <summary>Command-line options; every one has a default that makes the README's numbers.</summary>
public sealed record GeneratorOptions
{
    public DatabaseProvider Provider { get; init; } = DatabaseProvider.Sqlite;
    public string ConnectionString { get; init; } = "Data Source=bench/usage-bench.db";
    public int Applications { get; init; } = 1_000;
    public int Days { get; init; } = 365;
    /// <summary>Days of per-minute rows, as the app keeps them (Usage:MinuteRetentionDays).</summary>
    public int MinuteDays { get; init; } = 35;
    /// <summary>Median calls per application per day; volumes are log-normal around it, so a few applications are very busy.</summary>
    public double MedianCallsPerDay { get; init; } = 60;
    public int Seed { get; init; } = 20261123;
    /// <summary>Timed runs per query (after warm-up runs).</summary>
    public int Runs { get; init; } = 30;
    /// <summary>Skip generating; only time the queries on an existing database.</summary>
    public bool MeasureOnly { get; init; }

    public static GeneratorOptions Parse(string[] args)
    {
        var options = new GeneratorOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--provider" => options with { Provider = Enum.Parse<DatabaseProvider>(Next(), ignoreCase: true) },
                "--connection" => options with { ConnectionString = Next() },
                "--applications" => options with { Applications = int.Parse(Next()) },
                "--days" => options with { Days = int.Parse(Next()) },
                "--minute-days" => options with { MinuteDays = int.Parse(Next()) },
                "--median-calls" => options with { MedianCallsPerDay = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(Next()) },
                "--runs" => options with { Runs = int.Parse(Next()) },
                "--measure-only" => options with { MeasureOnly = true },
                _ => throw new ArgumentException($"Unknown option {args[i]}. See bench/README.md."),
            };
        }
        return options;
    }
}
