-- wrk script for the baseline (the trivial endpoint): only the optional pacing of the fixed-rate run.
local pause = tonumber(os.getenv("WRK_DELAY_MS") or "0")
function delay()
  return pause
end
