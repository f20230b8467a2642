--[[
  expire-experiment: fail an experiment whose current stage passed its deadline. Does nothing
  if the experiment already finished or moved to a stage with a later deadline.

  KEYS[1] experiment hash
  KEYS[2] deadlines zset (shard)
  KEYS[3] done-signal key of the experiment

  ARGV[1] mode ('stream' | 'list')
  ARGV[2] experiment id
  ARGV[3] now (ms)

  Returns 'expired', 'not-due' or 'finished'.
]]
--@include transport
--@include experiment

local mode, expId, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local s = redis.call('HMGET', KEYS[1], 'status', 'deadline', 'stage', 'spec')
if s[1] ~= 'running' then
  redis.call('ZREM', KEYS[2], expId)
  return 'finished'
end
if tonumber(s[2]) > now then return 'not-due' end
local spec = cjson.decode(s[4])
local st = spec.stages[tonumber(s[3]) + 1]
local rem = redis.call('HGET', KEYS[1], 'rem')
fanin_finish(mode, KEYS[1], KEYS[2], KEYS[3], expId, 'failed',
  'stage ' .. st.n .. ' timed out after ' .. st.t .. ' ms with ' .. rem .. ' task(s) unfinished', '', now, spec.r, st.n)
return 'expired'
