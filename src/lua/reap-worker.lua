--[[
  reap-worker (lists transport): if a worker's heartbeat has expired, return every item of its
  processing list to the stage queue, counting one more delivery on each, and forget the worker.

  KEYS[1] the worker's processing list
  KEYS[2] queue of the stage (shard)
  KEYS[3] the worker's heartbeat key (shard)
  KEYS[4] set of the stage's workers (shard)

  ARGV[1] worker id

  Returns the items returned to the queue (as re-queued), or false when the worker is alive.
]]

if redis.call('EXISTS', KEYS[3]) == 1 then return false end
local items = redis.call('LRANGE', KEYS[1], 0, -1)
local out = {}
-- The processing list is newest-first (LMOVE ... LEFT). RPUSHing newest to oldest leaves the
-- oldest at the consumer (right) end of the queue, so they are redelivered first, in order.
for i = 1, #items do
  local ok, m = pcall(cjson.decode, items[i])
  local item = items[i]
  if ok and type(m) == 'table' then
    m.d = (tonumber(m.d) or 0) + 1
    item = cjson.encode(m)
  end
  redis.call('RPUSH', KEYS[2], item)
  out[#out + 1] = item
end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[4], ARGV[1])
return out
