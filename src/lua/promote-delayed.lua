--[[
  promote-delayed: move retries whose backoff has elapsed from a stage's delayed zset to its queue.

  KEYS[1] delayed zset of the stage (shard)
  KEYS[2] queue of the stage (shard)
  KEYS[3] index of that queue (streams; see keys.ts queueIndex)

  ARGV[1] mode ('stream' | 'list')
  ARGV[2] now (ms)
  ARGV[3] max items to move

  Returns { moved, nextDueMs } (nextDueMs = -1 when the zset is empty).
]]
--@include transport

local mode = ARGV[1]
local due = redis.call('ZRANGE', KEYS[1], '-inf', ARGV[2], 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[3]))
for _, raw in ipairs(due) do
  local m = cjson.decode(raw)
  -- out of the zset first (a write that needs no memory): a retry moves even when Redis is
  -- out of memory (it adds nothing overall)
  redis.call('ZREM', KEYS[1], raw)
  fanin_push(mode, KEYS[2], KEYS[3], m.t, m.k, m.e)
end
local nxt = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local nextDue = -1
if nxt[2] then nextDue = tonumber(nxt[2]) end
return { #due, nextDue }
