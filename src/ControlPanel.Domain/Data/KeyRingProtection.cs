using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Domain.Data;

/// <summary>Data Protection as every instance sets it up: the key ring in the database, encrypted with the configured certificate.</summary>
public static class KeyRingProtection
{
    /// <summary>
    /// Adds Data Protection over <see cref="DatabaseKeyRing"/>. With <c>DataProtection:CertificatePath</c> set, every key
    /// is written encrypted to the certificate (and keys still stored in the clear are encrypted on first read); the
    /// certificate and any previous ones decrypt. A certificate that cannot be loaded stops the start (fail closed);
    /// Production without one logs a warning when the key ring is first used (at start).
    /// </summary>
    public static IDataProtectionBuilder AddDatabaseKeyRing(this IServiceCollection services, IConfiguration configuration, DirectoryInfo? legacyFolder)
    {
        // Loaded here, while the host is built: Data Protection takes the certificates as instances.
        var certificates = new KeyRingCertificates(configuration.GetSection(KeyRingOptions.Section).Get<KeyRingOptions>() ?? new KeyRingOptions());
        var builder = services.AddDataProtection().SetApplicationName("ControlPanel");
        if (certificates.Current is { } current)
            builder.ProtectKeysWithCertificate(current).UnprotectKeysWithAnyCertificate([.. certificates.All]);
        services.AddOptions<KeyManagementOptions>()
            .Configure<IDbContextFactory<ControlPanelDbContext>, ILoggerFactory, IServiceProvider>((options, databases, logs, provider) =>
            {
                if (certificates.Current is null && provider.GetService<IHostEnvironment>()?.IsProduction() == true)
                    logs.CreateLogger(typeof(KeyRingProtection)).LogWarning(
                        "No DataProtection:CertificatePath is configured: the Data Protection key ring is stored unencrypted in the database, so a copy of the database can forge sign-in cookies and read webhook secrets. See docs/operations.md, \"Key ring encryption\".");
                var encryptor = certificates.Current is null ? null : new CertificateXmlEncryptor(certificates.Current, logs);
                options.XmlRepository = new DatabaseKeyRing(databases, legacyFolder, encryptor);
            });
        return builder;
    }
}

/// <summary>The configured key-ring certificates, loaded once.</summary>
public sealed class KeyRingCertificates
{
    public KeyRingCertificates(KeyRingOptions settings)
    {
        Current = string.IsNullOrWhiteSpace(settings.CertificatePath) ? null : Load(settings.CertificatePath, settings.CertificateKeyPath, settings.CertificatePassword);
        All = [.. Current is null ? [] : new[] { Current }, .. settings.PreviousCertificatePaths.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => Load(p, "", settings.CertificatePassword))];
    }

    /// <summary>The certificate new keys are encrypted with; null when none is configured.</summary>
    public X509Certificate2? Current { get; }

    /// <summary>Every certificate that may decrypt a stored key: the current one and the previous ones.</summary>
    public IReadOnlyList<X509Certificate2> All { get; }

    private static X509Certificate2 Load(string path, string keyPath, string password)
    {
        X509Certificate2 certificate;
        try
        {
            var extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension is ".pfx" or ".p12")
                certificate = X509CertificateLoader.LoadPkcs12FromFile(path, string.IsNullOrEmpty(password) ? null : password);
            else
            {
                var key = string.IsNullOrEmpty(keyPath) ? null : keyPath;
                using var pem = string.IsNullOrEmpty(password)
                    ? X509Certificate2.CreateFromPemFile(path, key)
                    : X509Certificate2.CreateFromEncryptedPemFile(path, password, key);
                // A PEM key is ephemeral; a PKCS#12 round trip gives the certificate a key every platform's XML decryption can use.
                certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The message names the file, never the password.
            throw new InvalidOperationException($"The key-ring certificate '{path}' could not be loaded: {e.Message}", e);
        }
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"The key-ring certificate '{path}' has no private key; the key ring could not be decrypted with it.");
        if (certificate.GetRSAPrivateKey() is null)
            throw new InvalidOperationException($"The key-ring certificate '{path}' must have an RSA key (XML encryption of the key ring uses RSA).");
        return certificate;
    }
}
