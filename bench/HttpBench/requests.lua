-- wrk script of HttpBench: replays the requests of the file named by the first script argument in a random order per
-- thread. One request a line, tab-separated: METHOD, PATH, bearer token (may be empty), JSON body (may be empty). A POST
-- gets an Idempotency-Key unique to the run (the second argument is the run's prefix). done() prints one JSON line
-- (latencies in microseconds) that HttpBench reads; wrk's own report comes before it.
local requests = {}
local sent = 0
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

function init(args)
  prefix = args[2]
  for line in io.lines(args[1]) do
    local method, path, token, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = { ["Accept"] = "application/json" }
    if token ~= "" then headers["Authorization"] = "Bearer " .. token end
    if body ~= "" then headers["Content-Type"] = "application/json" end
    requests[#requests + 1] = { method = method, path = path, headers = headers, body = body ~= "" and body or nil }
  end
  math.randomseed(thread_id * 7919 + os.time())
end

function request()
  sent = sent + 1
  local r = requests[math.random(#requests)]
  if r.method == "POST" then r.headers["Idempotency-Key"] = string.format("%s-%d-%d", prefix, thread_id, sent) end
  return wrk.format(r.method, r.path, r.headers, r.body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"p50":%.1f,"p95":%.1f,"p99":%.1f,"max":%.1f}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
