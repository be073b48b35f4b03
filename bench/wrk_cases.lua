-- wrk script of bench/bench_cases.py, chosen by the BENCH_MODE environment variable:
--   get     the URL given to wrk, as is (with any -H headers)
--   intake  POST /api/v1/public/cases, a fresh client_token on every request
--   track   POST /api/v1/public/cases/<code> {"pin": …}   over the codes in BENCH_CODES (one a line)
--   api     GET /api/v1/public/cases/<code> with the header X-Case-Pin
-- (a PIN never goes in a URL: URLs end up in access logs)
-- and prints "BENCH <requests> <seconds> <non2xx3xx> <errors> <p50> <p95> <p99>" (ms) at the end.
local mode = os.getenv("BENCH_MODE") or "get"
local pin = os.getenv("BENCH_PIN") or "123456"
local station = os.getenv("BENCH_STATION") or ""
local codes = {}
local counter = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + tid)
  local path = os.getenv("BENCH_CODES")
  if path then
    for line in io.lines(path) do codes[#codes + 1] = line end
  end
end

function request()
  counter = counter + 1
  if mode == "intake" then
    local token = string.format("bench-%d-%d-%d-%d", os.time(), tid, counter, math.random(1e9))
    local body = string.format(
      '{"station_code":"%s","kind":"suggestion","title":"小区门口路灯不亮",' ..
      '"content":"小区东门外的路灯坏了一个多月，晚上出行很不方便，请尽快修复。",' ..
      '"client_token":"%s"}', station, token)
    return wrk.format("POST", "/api/v1/public/cases", {["Content-Type"] = "application/json"}, body)
  elseif mode == "track" then
    local body = string.format('{"pin":"%s"}', pin)
    return wrk.format("POST", "/api/v1/public/cases/" .. codes[math.random(#codes)],
      {["Content-Type"] = "application/json"}, body)
  elseif mode == "api" then
    return wrk.format("GET", "/api/v1/public/cases/" .. codes[math.random(#codes)],
      {["X-Case-Pin"] = pin})
  end
  return wrk.format(nil)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %.3f %d %d %.2f %.2f %.2f\n", summary.requests,
    summary.duration / 1e6, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
