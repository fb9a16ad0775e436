-- Replays requests signed as Twilio signs them, one per line of $BENCH_FILE: path, signature, form body (tab-separated).
-- Each thread starts at its own offset; with BENCH_ONCE=1 a thread stops when it has sent its share once, so every
-- request is distinct (for counting stored callbacks against 2xx answers). BENCH_DELAY_MS paces each connection.
local requests = {}
local once = os.getenv("BENCH_ONCE") == "1"
local first, index, last = 1, 1, 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_FILE")) do
    local path, signature, body = line:match("([^\t]+)\t([^\t]+)\t(.*)")
    requests[#requests + 1] = wrk.format("POST", path, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["X-Twilio-Signature"] = signature,
    }, body)
  end
  local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
  local share = math.floor(#requests / threads)
  first = (id - 1) * share + 1
  index = first
  last = first + share - 1
end

function request()
  if index > last then
    if once then
      wrk.thread:stop()
    end
    index = first
  end
  local r = requests[index]
  index = index + 1
  return r
end

local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
if pause > 0 then
  -- A pause between a connection's requests: a steady rate rather than as fast as the service answers.
  function delay()
    return pause
  end
end

function done(summary, latency, requests)
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("latency_p%s_ms=%.3f\n", p, latency:percentile(p) / 1000))
  end
end
