using System.Collections.Concurrent;
using ControlPanel.Tests;
using Microsoft.Playwright;

namespace ControlPanel.Browser.Tests;

/// <summary>
/// The authenticator app of each staff member the tests sign in (staff must use two-factor): the key they set up and the
/// last code they used, per app instance. The app accepts each code once, so the next sign-in uses the next code.
/// </summary>
public sealed class Authenticator
{
    private static readonly ConcurrentDictionary<string, Authenticator> ByUser = new();
    private readonly Lock _gate = new();
    private long _lastStep = long.MinValue;

    public string? Key { get; set; }

    /// <summary>The authenticator of <paramref name="email"/> on the app <paramref name="page"/> is open at.</summary>
    public static Authenticator Of(IPage page, string email) => ByUser.GetOrAdd($"{new Uri(page.Url).GetLeftPart(UriPartial.Authority)}|{email}", _ => new());

    /// <summary>
    /// A code not used before: now's, or the next step's when now's was used (the app allows a step of clock drift,
    /// as a phone's clock may run a little ahead); waits for a later step when both were used.
    /// </summary>
    public async Task<string> NextCodeAsync()
    {
        var key = Key ?? throw new InvalidOperationException("No authenticator was set up for this user.");
        while (true)
        {
            var now = Totp.StepOf(DateTimeOffset.UtcNow);
            lock (_gate)
            {
                var step = Math.Max(now, _lastStep + 1);
                if (step <= now + 1)
                {
                    _lastStep = step;
                    return Totp.Code(Totp.DecodeBase32(key), step);
                }
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The code for now, noted as used (setting up uses one).</summary>
    public string CodeForSetUp(string key)
    {
        Key = key;
        lock (_gate)
        {
            _lastStep = Totp.StepOf(DateTimeOffset.UtcNow);
            return Totp.Code(Totp.DecodeBase32(key), _lastStep);
        }
    }
}
