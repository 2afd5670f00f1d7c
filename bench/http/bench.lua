-- The wrk script of bench/http_bench.sh, one for every case. Environment:
--   BENCH_METHOD   GET (default) or POST
--   BENCH_PATHS    a file with one request path per line; requests cycle
--                  through it (each wrk thread from its own offset)
--   BENCH_FIRST    skip this many lines first (the two runs of "approve"
--                  and of "edit" use different halves of the ids)
--   BENCH_COUNT    then take at most this many lines (0 or unset: all)
--   BENCH_COOKIE   the Cookie header (rh_session=…), none when empty
--   BENCH_CSRF     the X-CSRF-Token header, none when empty
--   BENCH_BODY     "create": a new contact with a mobile number no other
--                  request uses; "edit": {"version":V,"title":…} (the paths
--                  are contacts at version 1; V is 1 on the first pass over
--                  them, 2 on the second, …); "empty": {}; "join": the
--                  invitation landing form (application/x-www-form-urlencoded:
--                  name, a mobile no other request uses, company, title) with
--                  Origin BENCH_ORIGIN, as the page's own form sends it; else
--                  no body
--   BENCH_SALT     digits that keep create's and join's mobile numbers apart
--                  between runs
--   BENCH_ORIGIN   the site's origin (http://127.0.0.1:PORT), for "join"
--   BENCH_THREADS  wrk's -t (the stride between the threads' lines)
-- statuses= lists the non-2xx answers of write cases as STATUSxCOUNT (e.g. 500x63), "-" for none.
-- done() prints one line that bench/http_bench.sh parses:
--   WRKRESULT statuses=… requests=… wall_s=… rps=… p50_ms=… p90_ms=… p99_ms=… max_ms=… mean_ms=… errors=… non2xx=…

local method = os.getenv("BENCH_METHOD") or "GET"
local pathsFile = os.getenv("BENCH_PATHS")
local first = tonumber(os.getenv("BENCH_FIRST") or "0")
local count = tonumber(os.getenv("BENCH_COUNT") or "0")
local cookie = os.getenv("BENCH_COOKIE") or ""
local csrf = os.getenv("BENCH_CSRF") or ""
local bodyKind = os.getenv("BENCH_BODY") or ""
local salt = os.getenv("BENCH_SALT") or "00"
local origin = os.getenv("BENCH_ORIGIN") or ""

-- Percent-encoding of a form value (every byte but unreserved ones).
local function formValue(text)
   return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
-- The join form's fixed parts, encoded once.
local joinName = "name=" .. formValue("压测 Join ")
local joinMobile = "&mobile=" .. formValue("+86 11")
local joinRest = "&company=" .. formValue("杭州星辰科技有限公司") .. "&title=" .. formValue("经理")

local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
local counter = 1
local threads = {}

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

-- Writes count their answers by status (a response() hook costs a little on
-- every answer, so reads, whose status the script checks before, go without).
bad = {}
if bodyKind ~= "" then
   function response(status, headers, body)
      if status < 200 or status > 299 then bad[status] = (bad[status] or 0) + 1 end
   end
end

local paths = {}
local id = 1
local n = 0

function init(args)
   id = tonumber(wrk.thread:get("id")) or 1
   if pathsFile and pathsFile ~= "" then
      local skipped = 0
      for line in io.lines(pathsFile) do
         if skipped < first then
            skipped = skipped + 1
         elseif line ~= "" and (count == 0 or #paths < count) then
            table.insert(paths, line)
         end
      end
   end
   if #paths == 0 then table.insert(paths, wrk.path) end
   wrk.headers["Accept"] = "application/json"
   if cookie ~= "" then wrk.headers["Cookie"] = cookie end
   if csrf ~= "" then wrk.headers["X-CSRF-Token"] = csrf end
   if bodyKind == "join" then
      -- A browser's submission of the landing page: a form, from this site.
      wrk.headers["Accept"] = "text/html"
      wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
      if origin ~= "" then wrk.headers["Origin"] = origin end
   elseif bodyKind ~= "" then
      wrk.headers["Content-Type"] = "application/json"
   end
end

function request()
   -- Thread t takes lines t, t + T, t + 2T, …: no two requests share a line.
   local at = (id - 1) + n * nthreads
   local i = at % #paths + 1
   local body = nil
   if bodyKind == "create" then
      body = string.format(
         '{"name":"压测 Bench %s-%d-%d","mobile":"+86 12%s%d%07d","company":"杭州星辰科技有限公司","email":"bench%s.%d.%d@example.com"}',
         salt, id, n, salt, id, n, salt, id, n)
   elseif bodyKind == "edit" then
      -- Each pass over the paths edits every contact once more.
      body = string.format('{"version":%d,"title":"压测 %s-%d-%d"}', math.floor(at / #paths) + 1, salt, id, n)
   elseif bodyKind == "join" then
      -- mobile +86 11<salt><thread><n>: apart from create's +86 12… and the generated 1[3-9]…
      body = string.format("%s%s-%d-%d%s%s%d%07d%s", joinName, salt, id, n, joinMobile, salt, id, n, joinRest)
   elseif bodyKind == "empty" then
      body = "{}"
   end
   n = n + 1
   return wrk.format(method, paths[i], nil, body)
end

function done(summary, latency, requests)
   local seconds = summary.duration / 1e6
   local e = summary.errors
   local counts = {}
   for _, t in ipairs(threads) do
      for status, n in pairs(t:get("bad") or {}) do counts[status] = (counts[status] or 0) + n end
   end
   local statuses = {}
   for status, n in pairs(counts) do table.insert(statuses, status .. "x" .. n) end
   table.sort(statuses)
   io.write(string.format(
      "WRKRESULT statuses=%s requests=%d wall_s=%.2f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f errors=%d non2xx=%d\n",
      #statuses > 0 and table.concat(statuses, ",") or "-",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, latency.mean / 1000,
      e.connect + e.read + e.write + e.timeout, e.status))
end
