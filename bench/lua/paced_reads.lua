-- GET a random milestone id from IDS as TOKEN, each connection pausing PAUSE_MS between requests:
-- a steady background of reads (about connections × 1000 / PAUSE_MS per second) whose latency
-- is measured while something else loads the service.
local ids = {}
for line in io.lines(os.getenv("IDS")) do ids[#ids + 1] = line end
local token = os.getenv("TOKEN")
local pause = tonumber(os.getenv("PAUSE_MS") or "16")
math.randomseed(os.time())
function request()
  return wrk.format("GET", "/api/v1/milestones/" .. ids[math.random(#ids)], { ["Authorization"] = "Bearer " .. token })
end
function delay()
  return pause
end
