--[[
  load-task: one round trip for what a worker needs before running an agent: the task data,
  whether the task should still run, and the artifacts of its inputs.

  KEYS[1] task-data key
  KEYS[2] experiment hash of the experiment the message names
  KEYS[3] results hash of the stage the message's task id names

  ARGV[1] artifact key prefix of the task's experiment (keys.ts `artifactPrefix`); an input's
          key is this prefix followed by its hash
  ARGV[2] the task index the message's task id names

  Returns false when the task data is missing or expired; otherwise
  { taskJson, status, stage, recorded, artifact1, artifact2, ... }: the experiment's status
  and current stage index (false when the experiment does not exist), the result recorded
  for the task ('' when none: a hash, or '!reason' when it was skipped), and — only when the
  experiment is running and nothing is recorded — its input artifacts in input order, an
  artifact being false when missing. Task data that is not valid JSON is returned as is.
]]

local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local state = redis.call('HMGET', KEYS[2], 'status', 'stage')
local recorded = redis.call('HGET', KEYS[3], ARGV[2]) or ''
local head = { raw, state[1], state[2], recorded }
if state[1] ~= 'running' or recorded ~= '' then return head end
local ok, task = pcall(cjson.decode, raw)
if not ok or type(task) ~= 'table' or type(task['in']) ~= 'table' or #task['in'] == 0 then return head end
local keys = {}
for i, h in ipairs(task['in']) do keys[i] = ARGV[1] .. h end
local out = redis.call('MGET', unpack(keys))
for i = #head, 1, -1 do table.insert(out, 1, head[i]) end
return out
