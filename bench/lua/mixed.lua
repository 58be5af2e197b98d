-- The mixed workload's reads for wrk (bench/mixed.py):
--   wrk -s bench/lua/mixed.lua http://127.0.0.1:PORT -- PATHS_FILE [COOKIES_FILE]
-- Every request is a path picked at random from PATHS_FILE (one per line, already weighted by
-- popularity); with COOKIES_FILE (one "sessionid=..." per line) every request is signed in as
-- one of the members, picked at random, as many members browsing at once would be.

local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
  table.insert(threads, thread)
end

local paths = {}
local cookies = {}

local function read_lines(name, into)
  local file = assert(io.open(name, "r"))
  for line in file:lines() do
    if #line > 0 then
      into[#into + 1] = line
    end
  end
  file:close()
end

function init(args)
  read_lines(args[1], paths)
  if args[2] ~= nil and #args[2] > 0 then
    read_lines(args[2], cookies)
  end
  math.randomseed(os.time() * 1000 + (thread_id or 0) * 7919)
end

function request()
  local path = paths[math.random(#paths)]
  if #cookies > 0 then
    return wrk.format("GET", path, { ["Cookie"] = cookies[math.random(#cookies)] })
  end
  return wrk.format("GET", path)
end
