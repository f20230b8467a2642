--[[
  prune-consumers (streams): removes the consumers of a stage stream's group that have been
  idle longer than the stale age and hold nothing pending — those of workers that were killed
  (SIGKILL) and never came back. Atomic, so a consumer cannot take an entry between the check
  and its removal. A consumer holding entries is kept: its entries are reclaimed first.

  KEYS[1] the stage stream

  ARGV[1] consumer group
  ARGV[2] the calling worker's consumer name (never removed)
  ARGV[3] stale age (ms)

  Returns the names of the removed consumers.
]]

local removed = {}
local consumers = redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])
local minIdle = tonumber(ARGV[3])
for _, c in ipairs(consumers) do
  local f = {}
  for i = 1, #c, 2 do f[c[i]] = c[i + 1] end
  if f.name ~= ARGV[2] and tonumber(f.pending) == 0 and tonumber(f.idle) > minIdle then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], f.name)
    removed[#removed + 1] = f.name
  end
end
return removed
