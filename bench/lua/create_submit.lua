-- Enterprises' systems create a draft milestone and submit it: each created draft is submitted
-- by a later request of the same wrk thread. ACTORS: lines "token<TAB>enterprise_id" (API clients
-- of random enterprises). Prints how many drafts were created and submitted.
local actors, token_of = {}, {}
for line in io.lines(os.getenv("ACTORS")) do
  local token, enterprise = line:match("^(%S+)\t(%S+)$")
  actors[#actors + 1] = { token = token, enterprise = enterprise }
  token_of[enterprise] = token
end
local pending = {} -- created drafts waiting for their submit: { id, token }
created, submitted = 0, 0
local tally = dofile("bench/lua/tally.lua")
setup = tally.setup("seed")

function init(args)
  math.randomseed(os.time() * 100 + seed)
end

function request()
  local headers = { ["Content-Type"] = "application/json" }
  local draft = table.remove(pending)
  if draft then
    headers["Authorization"] = "Bearer " .. draft.token
    return wrk.format("POST", "/api/v1/milestones/" .. draft.id .. "/submit", headers, "{}")
  end
  local a = actors[math.random(#actors)]
  headers["Authorization"] = "Bearer " .. a.token
  local body = string.format('{"type":"digital_workshop","effective_on":"2025-%02d-%02d","title":"数字化车间 压测 %d"}',
    math.random(12), math.random(28), math.random(1000000))
  return wrk.format("POST", "/api/v1/enterprises/" .. a.enterprise .. "/milestones", headers, body)
end

-- Connections interleave, so the answer names its draft: the id and the enterprise (whose
-- token submits it).
function response(status, headers, body)
  if status == 201 then
    local id, enterprise = body:match('"id":"([^"]+)"'), body:match('"enterprise_id":"([^"]+)"')
    if id and token_of[enterprise] then
      created = created + 1
      pending[#pending + 1] = { id = id, token = token_of[enterprise] }
    end
  elseif status == 200 then
    submitted = submitted + 1
  end
end

done = tally.done({ { "created", "created" }, { "submitted", "submitted" } })
