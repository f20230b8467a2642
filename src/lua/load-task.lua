--[[
  load-task: one round trip for what a worker needs to decide whether a delivery's task should
  run — its task data, its experiment's status and current stage, what is recorded for the
  task — and, when the task should run and has at most ARGV[2] inputs, those input artifacts.
  (Otherwise the worker reads the inputs next, in chunks, from the same artifacts hash.)

  KEYS[1] task-data key
  KEYS[2] experiment hash of the experiment the message names
  KEYS[3] results hash of the stage the message's task id names
  KEYS[4] artifacts hash of the experiment the message names

  ARGV[1] the task index the message's task id names
  ARGV[2] the most inputs read here

  Returns false when the task data is missing; otherwise { taskJson, status, stage, recorded }:
  the experiment's status and current stage index (false when the experiment does not exist)
  and the result recorded for the task ('' when none: a hash, or '!reason' when it was
  skipped) — followed, only when the experiment is running and nothing is recorded, by where
  in the task data the inputs it read are listed (the 1-based position of their "in":[, so the
  worker can check that list is the one its own parse of the task data found) and their
  artifacts (false when missing).
]]

local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local state = redis.call('HMGET', KEYS[2], 'status', 'stage')
local recorded = redis.call('HGET', KEYS[3], ARGV[1]) or ''
local out = { raw, state[1], state[2], recorded }
if state[1] ~= 'running' or recorded ~= '' then return out end
-- the inputs as fanin_task_json writes them ("in":["h1","h2",...]); the worker checks them
local at, _, list = string.find(raw, '"in":%[([^%]]*)%]')
if not at then return out end
local hashes = {}
for h in string.gmatch(list, '"([0-9a-f]+)"') do hashes[#hashes + 1] = h end
if #hashes == 0 or #hashes > tonumber(ARGV[2]) then return out end
out[5] = at
local arts = redis.call('HMGET', KEYS[4], unpack(hashes))
for i = 1, #arts do out[5 + i] = arts[i] end
return out
