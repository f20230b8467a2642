--[[
  load-task: one round trip for what a worker needs to decide whether a delivery's task should
  run: its task data, its experiment's status and current stage, and what is recorded for the
  task. (The task's input artifacts are read next, in chunks, with keys built by keys.ts.)

  KEYS[1] task-data key
  KEYS[2] experiment hash of the experiment the message names
  KEYS[3] results hash of the stage the message's task id names

  ARGV[1] the task index the message's task id names

  Returns false when the task data is missing; otherwise { taskJson, status, stage, recorded }:
  the experiment's status and current stage index (false when the experiment does not
  exist), and the result recorded for the task ('' when none: a hash, or '!reason' when it
  was skipped).
]]

local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local state = redis.call('HMGET', KEYS[2], 'status', 'stage')
local recorded = redis.call('HGET', KEYS[3], ARGV[1]) or ''
return { raw, state[1], state[2], recorded }
