-- Counters kept per wrk thread (as globals of each thread's Lua state) and summed when wrk ends.
-- Each script that counts something: `local tally = dofile("bench/lua/tally.lua")`, then
-- `setup = tally.setup("seed")` (each thread gets its number, from 1, in that global) and
-- `done = tally.done({ { "created", "created" }, … })` (global, printed label).
local tally = { threads = {} }

function tally.setup(number)
  return function(thread)
    tally.threads[#tally.threads + 1] = thread
    thread:set(number, #tally.threads)
  end
end

function tally.done(counters)
  return function(summary, latency, requests)
    for _, c in ipairs(counters) do
      local sum = 0
      for _, t in ipairs(tally.threads) do
        sum = sum + t:get(c[1])
      end
      io.write(string.format("%s: %d\n", c[2], sum))
    end
  end
end

return tally
