namespace ControlPanel.Domain.Data;

/// <summary>
/// The "DataProtection" section of appsettings.json: the certificate the Data Protection key ring
/// is encrypted with at rest, so a copy of the database alone cannot forge cookies or read webhook secrets.
/// </summary>
public sealed class KeyRingOptions
{
    public const string Section = "DataProtection";

    /// <summary>
    /// A PKCS#12 file (.pfx/.p12) holding the certificate and its private key, or a PEM certificate
    /// (then <see cref="CertificateKeyPath"/> names its key, unless the key is in the same file). Empty: keys are stored unencrypted.
    /// </summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>The PEM private key of a PEM <see cref="CertificatePath"/>; empty when it is in the certificate's file.</summary>
    public string CertificateKeyPath { get; set; } = "";

    /// <summary>The PKCS#12 file's password, or the encrypted PEM key's; also used for <see cref="PreviousCertificatePaths"/>.</summary>
    public string CertificatePassword { get; set; } = "";

    /// <summary>
    /// Certificates the ring was encrypted with before a rotation (PKCS#12, or PEM with the key in the same file):
    /// keys they protect stay readable; new keys are encrypted with <see cref="CertificatePath"/> only.
    /// </summary>
    public string[] PreviousCertificatePaths { get; set; } = [];
}
