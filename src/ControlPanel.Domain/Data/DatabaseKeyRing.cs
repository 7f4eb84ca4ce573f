using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Data;

/// <summary>
/// Keeps the Data Protection key ring in the database, so every instance reads the cookies and
/// decrypts the webhook secrets the others wrote, and a restart loses nothing.
/// </summary>
/// <param name="legacyFolder">
/// Where earlier versions kept the keys as files; they are copied in once, when the table is empty,
/// so signed-in users and stored webhook secrets survive the upgrade.
/// </param>
/// <param name="encryptor">
/// The key-ring certificate's encryptor, when one is configured: keys stored in the clear (before a
/// certificate was configured) are encrypted with it on first read, so no copy of the database holds a usable key.
/// </param>
public sealed class DatabaseKeyRing(IDbContextFactory<ControlPanelDbContext> databases, DirectoryInfo? legacyFolder, IXmlEncryptor? encryptor = null) : IXmlRepository
{
    private static readonly XNamespace DataProtection = "http://schemas.asp.net/2015/03/dataProtection";
    private readonly Lock _importGate = new();
    private bool _imported;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        ImportLegacyKeysOnce();
        using var db = databases.CreateDbContext();
        return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList().Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = databases.CreateDbContext();
        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }

    private void ImportLegacyKeysOnce()
    {
        lock (_importGate)
        {
            if (_imported) return;
            _imported = true;
            ImportLegacyKeys();
            EncryptPlainKeys();
        }
    }

    private void ImportLegacyKeys()
    {
        if (legacyFolder is not { Exists: true }) return;
        using var db = databases.CreateDbContext();
        if (db.DataProtectionKeys.Any()) return;
        foreach (var file in legacyFolder.GetFiles("*.xml").OrderBy(f => f.CreationTimeUtc))
            db.DataProtectionKeys.Add(new DataProtectionKey
            {
                FriendlyName = Path.GetFileNameWithoutExtension(file.Name),
                Xml = XElement.Load(file.FullName).ToString(SaveOptions.DisableFormatting),
            });
        db.SaveChanges();
    }

    /// <summary>
    /// Replaces each secret marked "requiresEncryption" that is still in the clear with an
    /// <c>encryptedSecret</c> element, the form Data Protection itself writes and decrypts.
    /// </summary>
    private void EncryptPlainKeys()
    {
        if (encryptor is null) return;
        using var db = databases.CreateDbContext();
        foreach (var row in db.DataProtectionKeys.ToList())
        {
            var element = XElement.Parse(row.Xml);
            var plain = element.Descendants().Where(e => (bool?)e.Attribute(DataProtection + "requiresEncryption") == true).ToList();
            if (plain.Count == 0) continue;
            foreach (var secret in plain)
            {
                var encrypted = encryptor.Encrypt(new XElement(secret));
                secret.ReplaceWith(new XElement(DataProtection + "encryptedSecret",
                    new XAttribute("decryptorType", encrypted.DecryptorType.AssemblyQualifiedName!), encrypted.EncryptedElement));
            }
            row.Xml = element.ToString(SaveOptions.DisableFormatting);
        }
        db.SaveChanges();
    }
}
