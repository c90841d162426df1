-- wrk script of bench/bench_load.py: rotates the session cookies (one signed-in user each) over the
-- requests, counts every response that is not 200 (a redirect to the login page is an error here),
-- and prints the figures the benchmark reads.
local threads = {}
local cookies = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
  n = 0
  for line in io.lines(args[1]) do
    table.insert(cookies, line)
  end
end

function request()
  n = n + 1
  wrk.headers["Cookie"] = cookies[(n % #cookies) + 1]
  return wrk.format(nil)
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + t:get("bad")
  end
  local e = summary.errors
  io.write(string.format("BENCH_NON200 %d\n", total))
  io.write(string.format("BENCH_SOCKET_ERRORS %d\n", e.connect + e.read + e.write + e.timeout))
  io.write(string.format("BENCH_REQUESTS %d\n", summary.requests))
  io.write(string.format("BENCH_DURATION_US %d\n", summary.duration))
  io.write(string.format("BENCH_P50_US %d\n", latency:percentile(50)))
  io.write(string.format("BENCH_P99_US %d\n", latency:percentile(99)))
end
