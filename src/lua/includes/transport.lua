-- Transport primitives shared by the scripts. `mode` is 'stream' or 'list'; one deployment
-- uses one mode for every queue, dead letter and done-signal key (never mixed).
-- A queue message names a task: t = task id, k = task-data key, e = experiment id,
-- d = deliveries so far (lists only; streams count deliveries themselves).

local function fanin_push(mode, queue, taskId, taskKey, expId, maxLen)
  if mode == 'stream' then
    return redis.call('XADD', queue, 'MAXLEN', '~', maxLen, '*', 't', taskId, 'k', taskKey, 'e', expId)
  end
  return redis.call('LPUSH', queue, cjson.encode({ t = taskId, k = taskKey, e = expId, d = 0 }))
end

-- Acknowledge one delivery: XACK on the stage stream, or LREM from the worker's processing list.
local function fanin_ack(mode, ackKey, group, msgId)
  if ackKey == '' or msgId == '' then return 0 end
  if mode == 'stream' then
    return redis.call('XACK', ackKey, group, msgId)
  end
  return redis.call('LREM', ackKey, 1, msgId)
end

-- Append a dead-letter record (flat field/value list) to the dead-letter stream or list.
local function fanin_dead(mode, deadKey, fields, maxLen)
  if mode == 'stream' then
    return redis.call('XADD', deadKey, 'MAXLEN', '~', maxLen, '*', unpack(fields))
  end
  local rec = {}
  for i = 1, #fields, 2 do rec[fields[i]] = fields[i + 1] end
  return redis.call('LPUSH', deadKey, cjson.encode(rec))
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
