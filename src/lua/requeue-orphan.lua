--[[
  requeue-orphan (lists transport): an item sits in a live worker's processing list but the
  worker is not working on it (the reply of its BLMOVE was lost to a dropped connection).
  Moves it back to the stage queue, counting one more delivery, if it is still there.

  KEYS[1] the worker's processing list
  KEYS[2] queue of the stage (shard)

  ARGV[1] the item

  Returns 1 when it was moved, 0 when it was no longer there.
]]

if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end
local item = ARGV[1]
local ok, m = pcall(cjson.decode, item)
if ok and type(m) == 'table' then
  m.d = (tonumber(m.d) or 0) + 1
  item = cjson.encode(m)
end
redis.call('RPUSH', KEYS[2], item)
return 1
