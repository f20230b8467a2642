--[[
  expire-experiment: the deadline of an experiment's current stage passed. Under the stage's
  'fail' policy the experiment fails with a timeout cause. Under 'continue' every task of the
  stage without a result (the stragglers) is dead-lettered and skipped, and the stage fans in
  without them: the experiment goes on (or completes) when at least minSuccess tasks
  succeeded, and fails otherwise. Does nothing if the experiment already finished, or if its
  current stage is not the one the caller read (it moved on: the caller reads again).

  KEYS[1] experiment hash
  KEYS[2] deadlines zset (shard)
  KEYS[3] done-signal key of the experiment
  KEYS[4] results hash of the stage the caller read as current
  KEYS[5] dead-letter key (shard)
  KEYS[6] ended zset (shard): experiments awaiting retirement
  KEYS[7] queue of the next stage (any queue of the shard when there is none)
  KEYS[8] index of that queue
  KEYS[9..] task-data keys of the next stage's tasks (its static width; none when the next
            stage is dynamic or there is none: the fan-in then fails or completes)

  ARGV[1] mode ('stream' | 'list')
  ARGV[2] experiment id
  ARGV[3] now (ms)
  ARGV[4] the stage index the caller read as current
  ARGV[5] dead-letter stream max length (approximate)

  Goes through when Redis is out of memory (so an overdue experiment always ends): it probes
  with a write that may need memory (refused then, and the cause says REDIS_OOM), then writes
  first something that needs none (the deadline's removal), after which Redis lets it finish.

  Returns { outcome, skipped, seconds, microseconds } (the server's TIME when it ran), skipped
  being the comma-separated indexes of the dead-lettered stragglers, and outcome one of
  'finished' | 'not-due' | 'moved' | 'expired' (failed: timeout under 'fail') | 'advanced' |
  'completed' | 'failed' (the fan-in without the stragglers).
]]
--@include transport
--@include experiment

local mode, expId, now, si = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local time = redis.call('TIME')
local function reply(outcome, skipped) return { outcome, skipped or '', time[1], time[2] } end
local s = redis.call('HMGET', KEYS[1], 'status', 'deadline', 'stage', 'spec', 'rem', 'width')
if s[1] ~= 'running' then
  redis.call('ZREM', KEYS[2], expId)
  return reply('finished')
end
if tonumber(s[2]) > now then return reply('not-due') end
if tonumber(s[3]) ~= si then return reply('moved') end
local probe = redis.pcall('HSET', KEYS[1], 'expiredAt', ARGV[3])
local oom = type(probe) == 'table' and type(probe.err) == 'string' and string.sub(probe.err, 1, 3) == 'OOM'
redis.call('ZREM', KEYS[2], expId)
local spec = cjson.decode(s[4])
local st = spec.stages[si + 1]
if st.p ~= 'continue' then
  local cause = 'stage ' .. st.n .. ' timed out after ' .. st.t .. ' ms with ' .. s[5] .. ' task(s) unfinished'
  if oom then cause = cause .. ' (REDIS_OOM: Redis was out of memory and refused their results)' end
  fanin_finish(mode, KEYS[1], KEYS[2], KEYS[6], KEYS[3], expId, 'failed', cause, '', now, spec.r, st.n)
  return reply('expired')
end
local skipped = {}
local reason = 'stage deadline passed (' .. st.t .. ' ms) before the task finished'
for i = 0, tonumber(s[6]) - 1 do
  if redis.call('HSETNX', KEYS[4], tostring(i), '!' .. reason) == 1 then
    skipped[#skipped + 1] = i
    fanin_dead(mode, KEYS[5], {
      'exp', expId, 'stage', st.n, 'task', expId .. '/' .. si .. '/' .. i, 'index', tostring(i),
      'attempt', '0', 'deliveries', '0', 'reason', reason, 'at', ARGV[3] }, ARGV[5])
  end
end
redis.call('HSET', KEYS[1], 'rem', 0)
local nextQueue, nextIndex, nextKeys = fanin_next_keys(7)
local outcome = fanin_advance(mode, KEYS[1], KEYS[4], KEYS[2], KEYS[6], KEYS[3], nextQueue, nextIndex, nextKeys, expId, si,
  -1, now)
return reply(outcome, table.concat(skipped, ','))
