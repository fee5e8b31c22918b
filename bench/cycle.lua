-- wrk script: every request takes the next path of a file (one absolute path a line),
-- cycling through the file. The requests are formatted once, in init, so the
-- script costs wrk next to nothing per request.
--
--   wrk -t1 -c32 -d10s --latency -s bench/cycle.lua http://127.0.0.1:PORT -- PATHS.txt

local requests = {}
local next_one = 0

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then
      requests[#requests + 1] = wrk.format(nil, line)
    end
  end
  if #requests == 0 then
    error("no paths in " .. args[1])
  end
end

function request()
  next_one = next_one % #requests + 1
  return requests[next_one]
end
