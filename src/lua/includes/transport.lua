-- Transport primitives shared by the scripts. `mode` is 'stream' or 'list'; one deployment
-- uses one mode for every queue, dead letter and done-signal key (never mixed).
-- A queue message names a task: t = task id, k = task-data key, e = experiment id,
-- d = deliveries so far (lists only; streams count deliveries themselves).
-- Stage streams are never trimmed by length: an entry is deleted once acknowledged (by the
-- batched sweep of delete-acked.lua, whose XTRIM MINID removes only acknowledged entries), so
-- nothing undelivered or unacknowledged is ever removed. Each stage stream has an index hash
-- (entry id → message) so an entry deleted behind the core's back is matched to its task.

local function fanin_push(mode, queue, index, taskId, taskKey, expId)
  if mode == 'stream' then
    local id = redis.call('XADD', queue, '*', 't', taskId, 'k', taskKey, 'e', expId)
    redis.call('HSET', index, id, cjson.encode({ t = taskId, k = taskKey, e = expId }))
    return id
  end
  return redis.call('LPUSH', queue, cjson.encode({ t = taskId, k = taskKey, e = expId, d = 0 }))
end

-- Acknowledge one delivery: XACK and drop its index field (streams: the entry itself is
-- deleted later, in a batch, by delete-acked.lua), or LREM from the worker's processing list
-- (lists).
local function fanin_ack(mode, ackKey, index, group, msgId)
  if ackKey == '' or msgId == '' then return 0 end
  if mode == 'stream' then
    local n = redis.call('XACK', ackKey, group, msgId)
    redis.call('HDEL', index, msgId)
    return n
  end
  return redis.call('LREM', ackKey, 1, msgId)
end

-- Append a dead-letter record (flat field/value list) to the dead-letter stream or list.
-- Dead letters are records, not work: both are capped at `maxLen`, the oldest records going
-- first — the stream approximately (MAXLEN ~, whole nodes), the list exactly (newest at the
-- head, LTRIM keeps the `maxLen` newest).
local function fanin_dead(mode, deadKey, fields, maxLen)
  if mode == 'stream' then
    return redis.call('XADD', deadKey, 'MAXLEN', '~', maxLen, '*', unpack(fields))
  end
  local rec = {}
  for i = 1, #fields, 2 do rec[fields[i]] = fields[i + 1] end
  local n = redis.call('LPUSH', deadKey, cjson.encode(rec))
  local cap = tonumber(maxLen)
  if cap and cap >= 1 and n > cap then
    redis.call('LTRIM', deadKey, 0, cap - 1)
    n = cap
  end
  return n
end

-- Signal that an experiment reached a terminal status. Waiters block on this key
-- (XREAD BLOCK on the stream, or BLMOVE of the list onto itself), so no one polls.
local function fanin_signal(mode, doneKey, status, ttlMs)
  if mode == 'stream' then
    redis.call('XADD', doneKey, '*', 'status', status)
  else
    redis.call('LPUSH', doneKey, status)
  end
  redis.call('PEXPIRE', doneKey, ttlMs)
end
