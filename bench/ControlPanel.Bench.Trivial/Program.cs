// A trivial minimal-API endpoint on Kestrel, configured as the app is (Production, logging at Warning): what the key
// check is measured against. Usage: dotnet ControlPanel.Bench.Trivial.dll --urls http://127.0.0.1:PORT
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();
app.MapGet("/", () => "ok");
app.Run();
