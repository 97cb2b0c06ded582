-- wrk script for bench/http.sh: one different query per request, from a
-- query log (qid<TAB>query per line), sent as PATH?q=QUERY (URL-encoded).
--
--   wrk -t2 -c16 -d20s -s bench/http-queries.lua http://127.0.0.1:PORT \
--       -- QUERIES.tsv [PATH_PREFIX]
--
-- PATH_PREFIX defaults to "/api/search?q=" ("/?q=" for the HTML page;
-- "-" sends the bare path "/" every time, the HTTP floor).
--
-- Deterministic: thread k of T sends queries k, k+T, k+2T, ... of the log
-- (cycling), so the threads together walk the log in order and every run
-- sends the same sequence. The requests are built once in init(), so wrk
-- spends nothing per request on Lua. No response() hook: wrk then skips
-- parsing bodies, and its own summary already counts statuses > 399
-- (errors.status) besides socket errors.
--
-- done() prints one line "WRK_RESULT {json}" that bench/http.sh collects.

local counter = 0

function setup(thread)
   thread:set("tid", counter)
   counter = counter + 1
end

local function urlencode(s)
   return (s:gsub("[^%w%-%._~]", function(c)
      return string.format("%%%02X", string.byte(c))
   end))
end

local reqs = {}
local nreq = 0
local idx = 0
local step = 1

function init(args)
   local file = args[1]
   local prefix = args[2] or "/api/search?q="
   local nthreads = tonumber(args[3]) or 1
   if not file then
      error("http-queries.lua: give the query file after --")
   end
   local queries = {}
   local f = assert(io.open(file, "r"))
   for line in f:lines() do
      local q = line:match("^[^\t]*\t(.*)$")
      if q and #q > 0 then
         table.insert(queries, q)
      end
   end
   f:close()
   if #queries == 0 then
      error("http-queries.lua: no queries in " .. file)
   end
   for i, q in ipairs(queries) do
      local path = prefix == "-" and "/" or prefix .. urlencode(q)
      reqs[i] = wrk.format("GET", path)
   end
   nreq = #reqs
   step = nthreads
   idx = (tid or 0) % nreq
end

function request()
   local r = reqs[idx + 1]
   idx = (idx + step) % nreq
   return r
end

function done(summary, latency, requests)
   local e = summary.errors
   local secs = summary.duration / 1e6
   io.write(string.format(
      'WRK_RESULT {"requests": %d, "duration_s": %.3f, "rps": %.1f, ' ..
      '"p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, "mean_ms": %.3f, ' ..
      '"bytes": %d, "err_connect": %d, "err_read": %d, "err_write": %d, ' ..
      '"err_timeout": %d, "err_status": %d}\n',
      summary.requests, secs, summary.requests / secs,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
      summary.bytes, e.connect, e.read, e.write, e.timeout, e.status))
end
