-- wrk script for bench/stats_http.py: each connection cycles through the URLs given
-- in the STATS_URLS environment variable (space separated paths), so the public pages
-- and the API of every level share the load. At the end it prints one JSON line with
-- the request rate, latency percentiles (p95 included, which wrk does not print) and
-- every kind of error, non-2xx answers included.
--
--   STATS_URLS="/api/v1/stats/ /thong-ke/" wrk -t2 -c50 -d60s -s bench/stats_wrk.lua http://127.0.0.1:8131

local paths = {}
for p in string.gmatch(os.getenv("STATS_URLS") or "/api/v1/stats/", "%S+") do
  paths[#paths + 1] = p
end

local counter = 0
local non_2xx = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  threads[#threads + 1] = thread
end

function init(args)
  position = id
  bad = 0
end

function request()
  position = position + 1
  local path = paths[(position % #paths) + 1]
  return wrk.format("GET", path, { ["Accept-Language"] = "vi" })
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  for _, t in ipairs(threads) do
    non_2xx = non_2xx + (t:get("bad") or 0)
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.1f, "rps": %.1f, "p50_ms": %.1f, "p90_ms": %.1f, ' ..
    '"p95_ms": %.1f, "p99_ms": %.1f, "max_ms": %.1f, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "timeouts": %d, "status_errors": %d, ' ..
    '"non_2xx": %d, "urls": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.timeout, e.status, non_2xx, #paths))
end
