--[[
  fail-task: a task's attempt failed. Either schedules a retry (attempt + 1, due after the
  backoff, in the stage's delayed zset) or dead-letters the task with its reason and applies the
  stage's fan-in failure policy: 'fail' ends the experiment failed with the cause; 'continue'
  records the task as skipped and, if it was the stage's last, advances without it.

  KEYS[1] experiment hash
  KEYS[2] results hash of the task's stage
  KEYS[3] task-data key
  KEYS[4] ack key: the stage stream (streams) or the worker's processing list (lists)
  KEYS[5] index of the stage stream (streams; see keys.ts queueIndex)
  KEYS[6] deadlines zset (shard)
  KEYS[7] done-signal key of the experiment
  KEYS[8] delayed zset of the task's stage (shard)
  KEYS[9] dead-letter key (shard)
  KEYS[10] ended zset (shard): experiments awaiting retirement
  KEYS[11] queue of the next stage (the task's own queue when there is none)
  KEYS[12] index of that queue
  KEYS[13..] task-data keys of the next stage's tasks (used only when this advances)

  ARGV[1] mode ('stream' | 'list')
  ARGV[2] consumer group (streams)
  ARGV[3] message id (stream entry id, or the raw list item)
  ARGV[4] experiment id
  ARGV[5] stage index
  ARGV[6] task index
  ARGV[7] task id
  ARGV[8] reason
  ARGV[9] retryable (1 | 0)
  ARGV[10] backoff before the retry (ms)
  ARGV[11] now (ms)
  ARGV[12] dead-letter stream max length (approximate)
  ARGV[13] stage name
  ARGV[14] deliveries of this message (for the dead-letter record)

  Returns { outcome, detail, seconds, microseconds } (the server's TIME when it ran) with outcome one of
  'retry' | 'dead' | 'advanced' | 'completed' | 'failed' | 'duplicate' | 'stale' | 'missing'.
]]
--@include transport
--@include experiment

local mode = ARGV[1]
local time = redis.call('TIME')
local function reply(outcome, detail) return { outcome, detail, time[1], time[2] } end
local si = tonumber(ARGV[5])
local function ack() fanin_ack(mode, KEYS[4], KEYS[5], ARGV[2], ARGV[3]) end
local state, early = fanin_guard(KEYS[1], si)
if not state then
  ack()
  return reply(early[1], early[2])
end
if redis.call('HEXISTS', KEYS[2], ARGV[6]) == 1 then
  ack()
  return reply('duplicate', '')
end
-- the first write (the retry's task data, or the dead letter) adds data: out of memory, the
-- whole call is refused there (see experiment.lua)

local now = tonumber(ARGV[11])
local attempt, maxAttempts = 1, 1
-- The task data may be missing, malformed or of another type (a task that could not load):
-- then it is attempt 1 of 1.
local raw = redis.pcall('GET', KEYS[3])
local task = nil
if type(raw) == 'string' then
  local ok, decoded = pcall(cjson.decode, raw)
  if ok and type(decoded) == 'table' and tonumber(decoded.a) and tonumber(decoded.ma) then
    task = decoded
    attempt, maxAttempts = task.a, task.ma
  end
end
if task and ARGV[9] == '1' and attempt < maxAttempts then
  task.a = attempt + 1
  -- Rewrite only the attempt counter so the rest of the document keeps its exact encoding.
  local updated = string.gsub(raw, '"a":%d+,', '"a":' .. task.a .. ',', 1)
  redis.call('SET', KEYS[3], updated, 'KEEPTTL')
  local msg = cjson.encode({ t = ARGV[7], k = KEYS[3], e = ARGV[4], d = 0 })
  redis.call('ZADD', KEYS[8], now + tonumber(ARGV[10]), msg)
  ack()
  return reply('retry', tostring(task.a))
end

fanin_dead(mode, KEYS[9], {
  'exp', ARGV[4], 'stage', ARGV[13], 'task', ARGV[7], 'index', ARGV[6], 'attempt', tostring(attempt),
  'deliveries', ARGV[14], 'reason', ARGV[8], 'at', ARGV[11] }, ARGV[12])
ack()

local spec = cjson.decode(redis.call('HGET', KEYS[1], 'spec'))
local st = spec.stages[si + 1]
if st.p ~= 'continue' then
  fanin_finish(mode, KEYS[1], KEYS[6], KEYS[10], KEYS[7], ARGV[4], 'failed',
    'stage ' .. st.n .. ' task ' .. ARGV[6] .. ' dead-lettered after ' .. attempt .. ' attempt(s): ' .. ARGV[8],
    '', now, spec.r, st.n)
  return reply('failed', 'dead')
end
redis.call('HSET', KEYS[2], ARGV[6], '!' .. ARGV[8])
local outcome, rem = fanin_count_down(mode, KEYS[1], KEYS[2], KEYS[6], KEYS[10], KEYS[7], 11, ARGV[4], si,
  -1, now)
if not outcome then return reply('dead', tostring(rem)) end
return reply(outcome, 'dead')
