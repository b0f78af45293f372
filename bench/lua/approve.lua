-- City reviewers approve submitted milestones of their cities. QUEUE: lines
-- "milestone_id<TAB>token" (the token of the milestone's city reviewer), in random order; of
-- THREADS wrk threads, thread k takes every k-th line, so no record is approved twice. Prints
-- how many were approved, and how many requests found the queue empty (GET /healthz instead).
local tally = dofile("bench/lua/tally.lua")
approved, empty = 0, 0
setup = tally.setup("part")

local queue, at = {}, 1

function init(args)
  local parts, i = tonumber(os.getenv("THREADS") or "2"), 0
  for line in io.lines(os.getenv("QUEUE")) do
    if i % parts == part - 1 then
      local id, token = line:match("^(%S+)\t(%S+)$")
      queue[#queue + 1] = { id = id, token = token }
    end
    i = i + 1
  end
end

function request()
  local item = queue[at]
  if not item then
    empty = empty + 1
    return wrk.format("GET", "/healthz")
  end
  at = at + 1
  return wrk.format("POST", "/api/v1/milestones/" .. item.id .. "/approve",
    { ["Authorization"] = "Bearer " .. item.token, ["Content-Type"] = "application/json" }, "{}")
end

function response(status, headers, body)
  if status == 200 and body:find('"state":"approved"', 1, true) then
    approved = approved + 1
  end
end

done = tally.done({ { "approved", "approved" }, { "empty", "queue empty" } })
