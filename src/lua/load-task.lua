--[[
  load-task: one round trip for what a worker needs to decide whether a delivery's task should
  run — its task data, its experiment's status and current stage, what is recorded for the
  task — and, when the message named the task's few inputs, those input artifacts. (Otherwise
  the worker reads the inputs next, in chunks, with keys built by keys.ts.)

  KEYS[1] task-data key
  KEYS[2] experiment hash of the experiment the message names
  KEYS[3] results hash of the stage the message's task id names
  KEYS[4..] artifact keys of the inputs the message names (optional)

  ARGV[1] the task index the message's task id names
  (the input hashes are the last 64 characters of KEYS[4..]: artifact keys end with them)

  Returns false when the task data is missing; otherwise { taskJson, status, stage, recorded,
  artifact1, ... }: the experiment's status and current stage index (false when the experiment
  does not exist), the result recorded for the task ('' when none: a hash, or '!reason' when it
  was skipped), and — only when the experiment is running, nothing is recorded and the task
  data's inputs are exactly the ones named — the artifacts (false when missing).
]]

local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local state = redis.call('HMGET', KEYS[2], 'status', 'stage')
local recorded = redis.call('HGET', KEYS[3], ARGV[1]) or ''
local out = { raw, state[1], state[2], recorded }
if #KEYS < 4 or state[1] ~= 'running' or recorded ~= '' then return out end
-- the task data is the authority: the named inputs must be exactly its own (written by
-- fanin_task_json as "in":["h1","h2",...])
local named = {}
for i = 4, #KEYS do named[#named + 1] = string.sub(KEYS[i], -64) end
if not string.find(raw, '"in":["' .. table.concat(named, '","') .. '"]', 1, true) then return out end
local arts = redis.call('MGET', unpack(KEYS, 4))
for i = 1, #arts do out[4 + i] = arts[i] end
return out
