using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ControlPanel.Domain.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Domain.Tests.Data;

/// <summary>The key ring at rest: encrypted with the configured certificate, so a copy of the database alone is useless.</summary>
public class KeyRingEncryptionTests
{
    private const string Password = "test-password";

    /// <summary>A self-signed RSA certificate with its key, written as a password-protected PKCS#12 file.</summary>
    private static string MakeCertificate(string folder, string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(folder, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, Password));
        return path;
    }

    /// <summary>An instance's Data Protection, set up as the host does, with the given "DataProtection" settings.</summary>
    private static ServiceProvider Instance(TestDatabase database, Dictionary<string, string?> settings, ILoggerProvider? logs = null, string environment = "Development")
    {
        var services = new ServiceCollection();
        services.AddSingleton(database.Factory);
        services.AddSingleton<IHostEnvironment>(new TestEnvironment(environment));
        services.AddLogging(builder => { if (logs is not null) builder.AddProvider(logs); });
        services.AddDatabaseKeyRing(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), null);
        return services.BuildServiceProvider();
    }

    private static IDataProtector Protector(ServiceProvider instance) => instance.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");

    private static Dictionary<string, string?> WithCertificate(string path, params string[] previous)
    {
        var settings = new Dictionary<string, string?> { ["DataProtection:CertificatePath"] = path, ["DataProtection:CertificatePassword"] = Password };
        for (var i = 0; i < previous.Length; i++) settings[$"DataProtection:PreviousCertificatePaths:{i}"] = previous[i];
        return settings;
    }

    private static async Task<List<string>> StoredXml(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task With_a_certificate_the_stored_key_holds_no_plain_master_key_and_only_a_holder_of_the_certificate_reads_it(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider);
        var certificate = MakeCertificate(database.Folder, "ring");

        using var first = Instance(database, WithCertificate(certificate));
        var secret = Protector(first).Protect("whsec_example");

        var stored = Assert.Single(await StoredXml(database));
        Assert.DoesNotContain("masterKey", stored);
        Assert.Contains("encryptedSecret", stored);
        using var second = Instance(database, WithCertificate(certificate));
        Assert.Equal("whsec_example", Protector(second).Unprotect(secret));
        using var withoutCertificate = Instance(database, []);
        Assert.ThrowsAny<CryptographicException>(() => Protector(withoutCertificate).Unprotect(secret));
    }

    [Fact]
    public async Task A_cookie_made_by_one_instance_is_read_by_another_with_the_same_certificate_and_by_none_without()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var certificate = MakeCertificate(database.Folder, "ring");
        // The purpose chain ASP.NET Core's cookie authentication protects the Identity cookie with.
        string[] cookiePurpose = ["Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware", "Identity.Application", "v2"];

        using var first = Instance(database, WithCertificate(certificate));
        var cookie = first.GetRequiredService<IDataProtectionProvider>().CreateProtector(cookiePurpose).Protect("ticket");

        using var second = Instance(database, WithCertificate(certificate));
        Assert.Equal("ticket", second.GetRequiredService<IDataProtectionProvider>().CreateProtector(cookiePurpose).Unprotect(cookie));
        using var other = Instance(database, WithCertificate(MakeCertificate(database.Folder, "other")));
        Assert.ThrowsAny<CryptographicException>(() => other.GetRequiredService<IDataProtectionProvider>().CreateProtector(cookiePurpose).Unprotect(cookie));
    }

    [Fact]
    public async Task Keys_stored_in_the_clear_before_a_certificate_was_configured_are_encrypted_and_stay_readable()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        using var before = Instance(database, []);
        var secret = Protector(before).Protect("kept");
        Assert.Contains("masterKey", Assert.Single(await StoredXml(database)));

        using var after = Instance(database, WithCertificate(MakeCertificate(database.Folder, "ring")));
        Assert.Equal("kept", Protector(after).Unprotect(secret));

        var stored = Assert.Single(await StoredXml(database));
        Assert.DoesNotContain("masterKey", stored);
        using var withoutCertificate = Instance(database, []);
        Assert.ThrowsAny<CryptographicException>(() => Protector(withoutCertificate).Unprotect(secret));
    }

    [Fact]
    public async Task After_a_rotation_keys_of_the_previous_certificate_stay_readable_and_new_keys_need_only_the_new_one()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var old = MakeCertificate(database.Folder, "old");
        var next = MakeCertificate(database.Folder, "next");
        using var before = Instance(database, WithCertificate(old));
        var secret = Protector(before).Protect("kept");

        using var rotated = Instance(database, WithCertificate(next, old));
        Assert.Equal("kept", Protector(rotated).Unprotect(secret));
        using var withoutPrevious = Instance(database, WithCertificate(next));
        Assert.ThrowsAny<CryptographicException>(() => Protector(withoutPrevious).Unprotect(secret));
    }

    [Fact]
    public async Task A_PEM_certificate_with_its_key_in_a_second_file_protects_the_ring()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        using var key = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=pem", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var certificatePath = Path.Combine(database.Folder, "ring.crt");
        var keyPath = Path.Combine(database.Folder, "ring.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        var settings = new Dictionary<string, string?> { ["DataProtection:CertificatePath"] = certificatePath, ["DataProtection:CertificateKeyPath"] = keyPath };

        using var first = Instance(database, settings);
        var secret = Protector(first).Protect("kept");

        Assert.DoesNotContain("masterKey", Assert.Single(await StoredXml(database)));
        using var second = Instance(database, settings);
        Assert.Equal("kept", Protector(second).Unprotect(secret));
    }

    [Fact]
    public async Task A_certificate_that_cannot_be_loaded_stops_the_start_without_naming_the_password()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var certificate = MakeCertificate(database.Folder, "ring");
        var settings = new Dictionary<string, string?> { ["DataProtection:CertificatePath"] = certificate, ["DataProtection:CertificatePassword"] = "wrong-secret-value" };

        var error = Assert.Throws<InvalidOperationException>(() => Instance(database, settings));
        Assert.DoesNotContain("wrong-secret-value", error.ToString());
    }

    [Theory]
    [InlineData("Production", true)]
    [InlineData("Development", false)]
    public async Task Production_without_a_certificate_warns_at_start(string environment, bool warns)
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var logs = new CapturedLogs();
        using var instance = Instance(database, [], logs, environment);

        Protector(instance).Protect("x");

        Assert.Equal(warns, logs.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains("DataProtection:CertificatePath")));
    }

    private sealed class TestEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "ControlPanel";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }

    private sealed class CapturedLogs : ILoggerProvider, ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries) Entries.Add((logLevel, formatter(state, exception)));
        }
        public void Dispose() { }
    }
}
