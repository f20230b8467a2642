--[[
  submit: create an experiment and enqueue the tasks of its first stage, atomically.
  Idempotent: submitting an id that exists changes nothing.

  KEYS[1] experiment hash
  KEYS[2] artifacts hash of the experiment (the input goes in the field named by its hash)
  KEYS[3] deadlines zset (shard)
  KEYS[4] queue of the first stage (shard)
  KEYS[5] index of that queue (streams; see keys.ts queueIndex)
  KEYS[6..] task-data keys of the first stage's tasks (count = its width)

  ARGV[1] mode ('stream' | 'list')
  ARGV[2] experiment id
  ARGV[3] compact spec JSON
  ARGV[4] params JSON
  ARGV[5] input hash
  ARGV[6] input canonical JSON
  ARGV[7] now (ms)

  Nothing it writes has a TTL: the experiment's keys get their retention when it ends.

  Returns { 'created' | 'exists', seconds, microseconds } (the server's TIME when it ran).
]]
--@include transport
--@include experiment

local mode, expId = ARGV[1], ARGV[2]
local time = redis.call('TIME')
if redis.call('EXISTS', KEYS[1]) == 1 then return { 'exists', time[1], time[2] } end
local now = tonumber(ARGV[7])
local spec = cjson.decode(ARGV[3])
redis.call('HSET', KEYS[2], ARGV[5], ARGV[6])
redis.call('HSET', KEYS[1], 'status', 'running', 'spec', ARGV[3], 'params', ARGV[4], 'input', ARGV[5],
  'createdAt', now, 'cause', '', 'result', '', 'ret', spec.r)
local taskKeys = {}
for i = 6, #KEYS do taskKeys[#taskKeys + 1] = KEYS[i] end
fanin_start_stage(mode, KEYS[1], KEYS[3], KEYS[4], KEYS[5], taskKeys, expId, spec, 0,
  { ARGV[5] }, {}, 1, ARGV[4], now)
return { 'created', time[1], time[2] }
