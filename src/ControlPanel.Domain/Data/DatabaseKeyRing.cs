using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
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
public sealed class DatabaseKeyRing(IDbContextFactory<ControlPanelDbContext> databases, DirectoryInfo? legacyFolder) : IXmlRepository
{
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
    }
}
