-- Replays requests signed as Twilio signs them, one per line of $BENCH_FILE: path, signature, form body (tab-separated).
-- Each thread starts at its own offset; with BENCH_ONCE=1 a thread stops when it has sent its share once, so every
-- request is distinct (for counting stored callbacks against 2xx answers).
local requests = {}
local once = os.getenv("BENCH_ONCE") == "1"
local first, index, last = 1, 1, 0
local counts = {}

function setup(thread)
  thread:set("id", #counts + 1)
  table.insert(counts, thread)
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
  ok, other = 0, 0
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

function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local total_ok, total_other = 0, 0
  for _, thread in ipairs(counts) do
    total_ok = total_ok + thread:get("ok")
    total_other = total_other + thread:get("other")
  end
  io.write(string.format("answers_2xx=%d answers_other=%d\n", total_ok, total_other))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("latency_p%s_ms=%.3f\n", p, latency:percentile(p) / 1000))
  end
end
