-- wrk script for the check (/api/v1/check, or a checked gateway route: the URL's path): valid keys, with the client address rotating over 64 addresses
-- (X-Forwarded-For from the trusted loopback gateway), as a gateway in front of many clients
-- would send it. The requests are built once, so wrk's Lua costs nothing per request.
-- Optional pacing for the fixed-rate run: WRK_DELAY_MS milliseconds between a connection's requests.
local requests = {}
local index = 0
local pause = tonumber(os.getenv("WRK_DELAY_MS") or "0")

function init(args)
  for i = 1, 64 do
    requests[i] = wrk.format("GET", wrk.path, {
      ["APPLICATIONKEY"] = os.getenv("APPLICATION_KEY"),
      ["CONSUMERKEY"] = os.getenv("CONSUMER_KEY"),
      ["X-Forwarded-For"] = "198.51.100." .. i,
    })
  end
end

function request()
  index = index % #requests + 1
  return requests[index]
end

function delay()
  return pause
end
