using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ControlPanel.Tests;

/// <summary>
/// A real nginx in front of the app: a temporary prefix folder holding the configuration, logs
/// and pid, one server that guards "/" with auth_request against the check (round-robin over the
/// app's instances when there are several) and sends browsers' CORS preflights to the check, and a
/// stand-in upstream answering "upstream ok". Stopped and removed on dispose. Shared by the API tests
/// and the browser tests (linked into both projects).
/// </summary>
public sealed class NginxGateway : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    public Uri BaseAddress { get; }

    private NginxGateway(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>The nginx executable, or null when it is not installed.</summary>
    public static string? Executable { get; } =
        new[] { "/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx" }.FirstOrDefault(File.Exists);

    public string ErrorLog => ReadLog("error.log");

    /// <summary>One line per request and per check subrequest: the URI, the status and the upstream that answered.</summary>
    public string AccessLog => ReadLog("access.log");

    private string ReadLog(string name) => File.Exists(Path.Combine(_folder, name)) ? File.ReadAllText(Path.Combine(_folder, name)) : "";

    /// <param name="gatewaySecret">The app's Api:GatewaySecret, which nginx sends with every check.</param>
    /// <param name="controlPanelPorts">The app's instances; nginx sends the checks to them in turn.</param>
    public static async Task<NginxGateway> StartAsync(string gatewaySecret, params int[] controlPanelPorts)
    {
        var folder = Directory.CreateTempSubdirectory("cp-nginx-").FullName;
        var gatewayPort = FreePort();
        var upstreamPort = FreePort();
        await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"), Configuration(folder, gatewayPort, upstreamPort, controlPanelPorts, gatewaySecret));

        var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("nginx is not installed."))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-p", folder, "-c", Path.Combine(folder, "nginx.conf"), "-e", Path.Combine(folder, "error.log") })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        var gateway = new NginxGateway(process, folder, gatewayPort);
        await gateway.WaitUntilListeningAsync(gatewayPort);
        return gateway;
    }

    /// <summary>The configuration docs/gateways.md documents, with the test's ports and folder.</summary>
    private static string Configuration(string folder, int gatewayPort, int upstreamPort, int[] controlPanelPorts, string gatewaySecret) => $$"""
        daemon off;
        master_process off;
        worker_processes 1;
        pid {{folder}}/nginx.pid;
        error_log {{folder}}/error.log info;
        events { worker_connections 256; }

        http {
            log_format checks '$request_uri $status $upstream_addr';
            log_subrequest on;
            access_log {{folder}}/access.log checks;
            client_body_temp_path {{folder}}/client_body;
            proxy_temp_path {{folder}}/proxy;
            fastcgi_temp_path {{folder}}/fastcgi;
            uwsgi_temp_path {{folder}}/uwsgi;
            scgi_temp_path {{folder}}/scgi;

            upstream controlpanel {
                {{string.Join(" ", controlPanelPorts.Select(port => $"server 127.0.0.1:{port};"))}}
                keepalive 16;
            }

            # A browser's CORS preflight: OPTIONS naming the method to come. It carries no keys.
            map "$request_method:$http_access_control_request_method" $cp_preflight {
                default 0;
                "~^OPTIONS:." 1;
            }

            # Stand-in for the platform's API behind the gateway.
            server {
                listen 127.0.0.1:{{upstreamPort}};
                location / { default_type text/plain; return 200 "upstream ok"; }
            }

            server {
                listen 127.0.0.1:{{gatewayPort}};

                location / {
                    # Preflights are answered by the check itself, through the gateway, never by the upstream.
                    if ($cp_preflight) { rewrite ^ /_controlpanel_preflight last; }
                    auth_request /_controlpanel_check;
                    auth_request_set $cp_status    $upstream_http_x_controlpanel_status;
                    auth_request_set $cp_body      $upstream_http_x_controlpanel_body;
                    auth_request_set $cp_limit     $upstream_http_x_ratelimit_limit;
                    auth_request_set $cp_remaining $upstream_http_x_ratelimit_remaining;
                    auth_request_set $cp_reset     $upstream_http_x_ratelimit_reset;
                    auth_request_set $cp_cors      $upstream_http_access_control_allow_origin;
                    auth_request_set $cp_expose    $upstream_http_access_control_expose_headers;
                    add_header X-RateLimit-Limit     $cp_limit always;
                    add_header X-RateLimit-Remaining $cp_remaining always;
                    add_header X-RateLimit-Reset     $cp_reset always;
                    add_header Access-Control-Allow-Origin   $cp_cors always;
                    add_header Access-Control-Expose-Headers $cp_expose always;
                    add_header Vary Origin always;
                    error_page 401 403 = @controlpanel_refused;
                    proxy_pass http://127.0.0.1:{{upstreamPort}};
                }

                location = /_controlpanel_check {
                    internal;
                    proxy_pass http://controlpanel/api/v1/check/nginx;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_pass_request_body off;
                    proxy_set_header Content-Length "";
                    proxy_set_header X-Forwarded-For $remote_addr;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_set_header X-Original-Method $request_method;
                    proxy_set_header X-Original-URI $request_uri;
                    proxy_set_header X-ControlPanel-Counted "";
                    proxy_set_header X-ControlPanel-Gateway-Secret "{{gatewaySecret}}";
                }

                location = /_controlpanel_preflight {
                    internal;
                    proxy_pass http://controlpanel/api/v1/check;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_pass_request_body off;
                    proxy_set_header Content-Length "";
                    proxy_set_header X-Forwarded-For $remote_addr;
                    proxy_set_header X-Forwarded-Proto $scheme;
                }

                # nginx only passes 401/403 from the check: rebuild the real status and body.
                location @controlpanel_refused {
                    default_type application/json;
                    add_header X-RateLimit-Limit     $cp_limit always;
                    add_header X-RateLimit-Remaining $cp_remaining always;
                    add_header X-RateLimit-Reset     $cp_reset always;
                    add_header Access-Control-Allow-Origin   $cp_cors always;
                    add_header Access-Control-Expose-Headers $cp_expose always;
                    add_header Vary Origin always;
                    if ($cp_status = 429) { return 429 $cp_body; }
                    if ($cp_status = 426) { return 426 $cp_body; }
                    if ($cp_status = 423) { return 423 $cp_body; }
                    if ($cp_status = 406) { return 406 $cp_body; }
                    if ($cp_status = 401) { return 401 $cp_body; }
                    return 403 $cp_body;
                }
            }
        }
        """;

    private async Task WaitUntilListeningAsync(int port)
    {
        await Eventually.TrueAsync(async () =>
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"nginx exited with {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()}\n{ErrorLog}");
            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, () => $"nginx listening on {port}\n{ErrorLog}", TimeSpan.FromSeconds(15));
    }

    public static int FreePort() => AppProcess.FreePort();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A fact that needs nginx: skipped, saying why, only when nginx is not installed (test.sh installs it).</summary>
public sealed class NginxFactAttribute : FactAttribute
{
    public NginxFactAttribute()
    {
        if (NginxGateway.Executable is null) Skip = "nginx is not installed: apt-get install -y nginx (test.sh does this).";
    }
}
