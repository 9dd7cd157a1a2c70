-- join.lua: wrk script for the POST /join scenario of `make bench`.
--
-- Every request signs up a new person, because a repeated email is answered without a
-- write and would flatter the figures.  Emails are unique per run (HEARTH_BENCH_RUN),
-- per wrk thread and per request.  The csrf token and the hearth_anon cookie it is bound
-- to come from one GET / made by tests/bench/run before the load starts.
--
-- Environment: HEARTH_BENCH_CSRF, HEARTH_BENCH_COOKIE (value of hearth_anon),
--              HEARTH_BENCH_RUN (any string unique to this run).

local nthreads = 0

-- runs in the main state once per thread: hand each thread its own number
function setup(thread)
   thread:set("tid", nthreads)
   nthreads = nthreads + 1
end

local function urlencode(s)
   return (string.gsub(s, "[^%w%-%._~]", function(c)
      return string.format("%%%02X", string.byte(c))
   end))
end

local run, body_tail, headers
local counter = 0

function init(args)
   local csrf = os.getenv("HEARTH_BENCH_CSRF")
   local cookie = os.getenv("HEARTH_BENCH_COOKIE")
   run = os.getenv("HEARTH_BENCH_RUN") or tostring(os.time())
   if not csrf or csrf == "" or not cookie or cookie == "" then
      error("join.lua: set HEARTH_BENCH_CSRF and HEARTH_BENCH_COOKIE")
   end
   -- the constant part of the body, encoded once per thread rather than per request:
   -- the fields a person fills in on the signup form (no upload)
   body_tail = "&last_name=Candidate&city=Lisbon&country=Portugal&interests=engineering" ..
      "&interests=data&seniority=mid&skills=Python%2C+SQL%2C+Kubernetes" ..
      "&phone=%2B351+21+000+0000&url=https%3A%2F%2Fexample.com%2Fbench&source=bench" ..
      "&consent=1&csrf_token=" .. urlencode(csrf)
   headers = {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Cookie"] = "hearth_anon=" .. cookie,
   }
end

function request()
   counter = counter + 1
   local email = string.format("bench-%s-t%d-%d@example.com", run, tid, counter)
   local body = "first_name=Bench" .. counter .. "&email=" .. urlencode(email) .. body_tail
   return wrk.format("POST", "/join", headers, body)
end
