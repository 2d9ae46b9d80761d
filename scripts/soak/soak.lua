-- The soak's mix of requests, for wrk (https://github.com/wg/wrk, SCRIPTING). Run by scripts/soak/__main__.py:
-- it writes the configuration (each role's session cookie and CSRF token, ids to use, the weights) to a Lua file
-- named by $SOAK_CONFIG and starts wrk with as many connections as threads, so each thread has one connection
-- and every response() answers the request() just sent: a thread knows what it asked and can follow a chain
-- (the worker: queue -> a repair's page -> take it -> its page -> start the work).
--
-- Each thread counts, by action: requests sent, answers by status class, and writes the app accepted (a POST
-- answered with a redirect); done() prints one line "SOAK_RESULT {json}" for the driver.

local cfg = dofile(os.getenv("SOAK_CONFIG"))

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter - 1)
  table.insert(threads, thread)
end

-- per thread (globals: done() reads them with thread:get) --------------------------------------------------
sent, by_status, accepted, rejected, status_counts = {}, {}, {}, {}, {}
local pending = nil       -- the next request of a chain: {name, method, path, role, body}
local last = nil          -- the request just sent
local tried = {}          -- repairs this thread has looked at
local reports = 0
local actions, total_weight = {}, 0

local function urlencode(s)
  return (tostring(s):gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function form(fields)
  local parts = {}
  for _, kv in ipairs(fields) do
    table.insert(parts, urlencode(kv[1]) .. "=" .. urlencode(kv[2]))
  end
  return table.concat(parts, "&")
end

local function uuid4()
  local t = {}
  for i = 1, 16 do t[i] = math.random(0, 255) end
  t[7] = 0x40 + (t[7] % 16)
  t[9] = 0x80 + (t[9] % 64)
  local h = {}
  for i = 1, 16 do h[i] = string.format("%02x", t[i]) end
  local s = table.concat(h)
  return s:sub(1, 8) .. "-" .. s:sub(9, 12) .. "-" .. s:sub(13, 16) .. "-" .. s:sub(17, 20) .. "-" .. s:sub(21, 32)
end

local function pick(list) return list[math.random(1, #list)] end

-- the actions: name -> function returning {name, method, path, role, body}
local make = {
  teacher_home = function() return {"teacher_home", "GET", "/", "teacher"} end,
  teacher_mine = function() return {"teacher_mine", "GET", "/repairs/mine/", "teacher"} end,
  teacher_report = function()
    reports = reports + 1
    return {"teacher_report", "POST", "/repairs/new/", "teacher", form({
      {"category", pick(cfg.categories)}, {"location", pick(cfg.locations)},
      {"title", string.format("压力测试:%d号线程第%d次报修", tid, reports)},
      {"description", "soak: 灯管闪烁,插座松动"}, {"urgency", "normal"}, {"submit_token", uuid4()}})}
  end,
  worker_queue = function() return {"worker_queue", "GET", "/repairs/?status=reported", "worker"} end,
  head_register = function() return {"head_register", "GET", "/assets/", "head"} end,
  head_home = function() return {"head_home", "GET", "/", "head"} end,
  principal_inbox = function() return {"principal_inbox", "GET", "/purchases/inbox/", "principal"} end,
  principal_home = function() return {"principal_home", "GET", "/", "principal"} end,
  canteen_day = function() return {"canteen_day", "GET", "/canteen/", "canteen"} end,
  canteen_checks = function() return {"canteen_checks", "GET", "/canteen/checks/", "canteen"} end,
  canteen_check = function()
    return {"canteen_check", "POST", "/canteen/checks/record/", "canteen", form({
      {"staff", pick(cfg.staff)}, {"date", cfg.today}, {"fit", "fit"}, {"temperature_c", ""}, {"note", ""},
      {"correction_reason", ""}, {"version", ""}})}
  end,
  safety_today = function() return {"safety_today", "GET", "/safety/", "safety"} end,
}

function init(args)
  math.randomseed(os.time() * 1000 + tid * 7919)
  for _, w in ipairs(cfg.weights) do
    local name, weight = w[1], w[2]
    if weight > 0 and make[name] then
      total_weight = total_weight + weight
      table.insert(actions, {name, total_weight})
    end
  end
end

local function choose()
  if pending then
    local p = pending
    pending = nil
    return p
  end
  local r = math.random() * total_weight
  for _, a in ipairs(actions) do
    if r <= a[2] then return make[a[1]]() end
  end
  return make[actions[#actions][1]]()
end

function request()
  last = choose()
  local name, method, path, role, body = last[1], last[2], last[3], last[4], last[5]
  local who = cfg.roles[role]
  local headers = {["Cookie"] = who.cookie}
  if method == "POST" then
    headers["X-CSRFToken"] = who.csrf
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  sent[name] = (sent[name] or 0) + 1
  return wrk.format(method, path, headers, body)
end

local function follow(name, status, body)
  -- the worker's chain: the queue names repairs; take one that this thread owns (pk % threads == tid, so two
  -- threads never race for the same repair) and start it
  if name == "worker_queue" and status == 200 then
    for pk in body:gmatch('href="/repairs/(%d+)/"') do
      local n = tonumber(pk)
      if n % cfg.threads == tid and not tried[n] then
        tried[n] = true
        pending = {"worker_detail", "GET", "/repairs/" .. pk .. "/", "worker"}
        return
      end
    end
  elseif name == "worker_detail" and status == 200 then
    local pk = last[3]:match("/repairs/(%d+)/")
    for _, move in ipairs({"take", "start"}) do
      local version = body:match('action="/repairs/' .. pk .. '/' .. move .. '/".-name="version" value="(%d+)"')
      if version then
        pending = {"worker_" .. move, "POST", "/repairs/" .. pk .. "/" .. move .. "/", "worker",
                   form({{"version", version}})}
        return
      end
    end
  elseif name == "worker_take" and status == 302 then
    pending = {"worker_detail", "GET", last[3]:gsub("take/$", ""), "worker"}
  end
end

function response(status, headers, body)
  local name = last[1]
  local class = status >= 500 and "5xx" or status >= 400 and "4xx" or status >= 300 and "3xx" or "2xx"
  by_status[name .. " " .. class] = (by_status[name .. " " .. class] or 0) + 1
  status_counts[tostring(status)] = (status_counts[tostring(status)] or 0) + 1
  if last[2] == "POST" then
    -- a write the app accepted redirects (PRG); a form shown again (200) or refused is not a write
    if status == 302 then
      accepted[name] = (accepted[name] or 0) + 1
    else
      rejected[name] = (rejected[name] or 0) + 1
    end
  end
  follow(name, status, body)
end

-- main thread ---------------------------------------------------------------------------------------------
local function merge(into, from)
  for k, v in pairs(from or {}) do into[k] = (into[k] or 0) + v end
end

local function json_obj(t)
  local keys = {}
  for k in pairs(t) do table.insert(keys, k) end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do
    local v = t[k]
    local value = type(v) == "table" and json_obj(v) or tostring(v)
    table.insert(parts, string.format("%q:%s", k, value))
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests)
  local totals = {sent = {}, by_status = {}, accepted = {}, rejected = {}, status = {}}
  for _, thread in ipairs(threads) do
    merge(totals.sent, thread:get("sent"))
    merge(totals.by_status, thread:get("by_status"))
    merge(totals.accepted, thread:get("accepted"))
    merge(totals.rejected, thread:get("rejected"))
    merge(totals.status, thread:get("status_counts"))
  end
  local e = summary.errors
  local out = {
    requests = summary.requests, duration_us = summary.duration, bytes = summary.bytes,
    errors = {connect = e.connect, read = e.read, write = e.write, status = e.status, timeout = e.timeout},
    latency_us = {p50 = latency:percentile(50), p90 = latency:percentile(90), p99 = latency:percentile(99),
                  max = latency.max, mean = math.floor(latency.mean)},
    sent = totals.sent, by_status = totals.by_status, accepted = totals.accepted, rejected = totals.rejected,
    status = totals.status,
  }
  io.write("SOAK_RESULT " .. json_obj(out) .. "\n")
end
