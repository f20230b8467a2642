--[[
  read-ended: what retiring a batch of ended experiments needs to know, in one call: each
  experiment's state (HGETALL). Reads only.

  KEYS[1..] experiment hashes (keys.ts)

  Returns one flat field/value list per key, in KEYS order.
]]
local out = {}
for i = 1, #KEYS do out[i] = redis.call('HGETALL', KEYS[i]) end
return out
