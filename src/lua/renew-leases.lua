--[[
  renew-leases: a live worker keeps its hold on the tasks it is running, and learns which of
  them are no longer wanted. Streams: each entry still pending for this consumer is claimed
  again by it with idle time 0 (XCLAIM ... JUSTID: the delivery count does not grow), so no
  other worker's XAUTOCLAIM takes it. An entry deleted from the stream behind the core's back
  (XCLAIM then drops it from the pending list) is queued again through the stream's index, and
  answered 'lost': its agent stops, the new entry runs it. Lists: the worker's heartbeat is refreshed (and its
  membership, in case it was reaped while paused), and each item is checked to be still in
  its processing list.

  KEYS[1] ack key: the stage stream (streams) or the worker's processing list (lists)
  KEYS[2] the worker's heartbeat key (lists)
  KEYS[3] set of the stage's workers (lists)
  KEYS[4] index of the stage stream (streams; see keys.ts queueIndex)
  KEYS[5..] experiment hash of each task, in the order of the tasks in ARGV

  ARGV[1] mode ('stream' | 'list')
  ARGV[2] consumer group (streams)
  ARGV[3] worker id (the stream consumer)
  ARGV[4] heartbeat TTL (ms, lists)
  ARGV[5], ARGV[6], ... pairs: message id, stage index of the task

  Returns one answer per task: 'held' (renewed), 'lost' (no longer this worker's: reclaimed,
  reaped or acknowledged) or 'ended' (its experiment is no longer running that stage).
]]
--@include transport

local mode = ARGV[1]
if mode == 'list' then
  -- extending the heartbeat needs no memory, so renewals go on when Redis is out of memory
  if redis.call('PEXPIRE', KEYS[2], ARGV[4]) == 0 then redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4]) end
  redis.call('SADD', KEYS[3], ARGV[3])
end
local out = {}
for t = 0, (#ARGV - 4) / 2 - 1 do
  local msgId, si = ARGV[5 + 2 * t], ARGV[6 + 2 * t]
  local state = redis.call('HMGET', KEYS[5 + t], 'status', 'stage')
  local answer = 'held'
  if state[1] ~= 'running' or state[2] ~= si then
    answer = 'ended'
  elseif mode == 'stream' then
    local p = redis.call('XPENDING', KEYS[1], ARGV[2], msgId, msgId, 1)
    if p[1] and p[1][2] == ARGV[3] then
      if #redis.call('XCLAIM', KEYS[1], ARGV[2], ARGV[3], 0, msgId, 'JUSTID') == 0 then
        -- deleted from the stream while pending: queue its task again
        local raw = redis.call('HGET', KEYS[4], msgId)
        if raw then
          redis.call('HDEL', KEYS[4], msgId)
          local m = cjson.decode(raw)
          fanin_push('stream', KEYS[1], KEYS[4], m.t, m.k, m.e)
        end
        answer = 'lost'
      end
    else
      answer = 'lost'
    end
  elseif not redis.call('LPOS', KEYS[1], msgId) then
    answer = 'lost'
  end
  out[#out + 1] = answer
end
return out
