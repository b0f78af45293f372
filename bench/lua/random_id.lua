-- GET a random id from ids.txt under the path prefix in PREFIX (e.g. /api/v1/milestones/).
local ids = {}
for line in io.lines(os.getenv("IDS") or "bench/out/ids.txt") do ids[#ids + 1] = line end
local prefix = os.getenv("PREFIX") or "/api/v1/milestones/"
local token = os.getenv("TOKEN")
math.randomseed(os.time())
request = function()
  return wrk.format("GET", prefix .. ids[math.random(#ids)], { ["Authorization"] = "Bearer " .. token })
end
