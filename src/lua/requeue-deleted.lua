--[[
  requeue-deleted (streams): XAUTOCLAIM reported a pending entry as deleted from the stream
  (trimmed or deleted behind the core's back; the core itself deletes only acknowledged
  entries). The stream's index still names its task: the task is queued again as a new entry,
  so it is redelivered instead of hanging. An id the index does not know is dead-lettered with
  the reason, without touching any experiment.

  KEYS[1] queue of the stage (shard)
  KEYS[2] index of that queue
  KEYS[3] dead-letter key (shard)

  ARGV[1] the deleted entry id
  ARGV[2] stage name
  ARGV[3] now (ms)
  ARGV[4] dead-letter stream max length (approximate)

  Returns { 'requeued', taskId, experimentId, newEntryId } or { 'unknown' }.
]]
--@include transport

local raw = redis.call('HGET', KEYS[2], ARGV[1])
if not raw then
  fanin_dead('stream', KEYS[3], { 'stage', ARGV[2], 'reason',
    'pending entry ' .. ARGV[1] .. ' was deleted from the stream and its task is unknown', 'message', '', 'at', ARGV[3] }, ARGV[4])
  return { 'unknown' }
end
redis.call('HDEL', KEYS[2], ARGV[1])
local ok, m = pcall(cjson.decode, raw)
if not ok or type(m) ~= 'table' or type(m.t) ~= 'string' or type(m.k) ~= 'string' or type(m.e) ~= 'string' then
  fanin_dead('stream', KEYS[3], { 'stage', ARGV[2], 'reason',
    'pending entry ' .. ARGV[1] .. ' was deleted from the stream and its index record is malformed', 'message', raw, 'at', ARGV[3] }, ARGV[4])
  return { 'unknown' }
end
local id = fanin_push('stream', KEYS[1], KEYS[2], m.t, m.k, m.e)
return { 'requeued', m.t, m.e, id }
