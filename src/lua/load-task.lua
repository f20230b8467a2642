--[[
  load-task: one round trip for what a worker needs to decide whether each delivery of a batch
  (those its claim was handed together, all of one shard) should run — its task data, its
  experiment's status and current stage, what is recorded for the task — and, when the task
  should run and has at most ARGV[1] inputs, those input artifacts. (Otherwise the worker reads
  the inputs next, in chunks, from the same artifacts hash.)

  For the j-th task of the batch (j = 1..n):
  KEYS[j]      its task-data key
  ARGV[2j]     the task index the message's task id names
  ARGV[2j+1]   e: where its experiment's keys start (0-based; tasks of one experiment and stage
               share one copy of them), which are
    KEYS[e+1]  experiment hash of the experiment the message names
    KEYS[e+2]  results hash of the stage the message's task id names
    KEYS[e+3]  artifacts hash of the experiment the message names

  ARGV[1] the most inputs read per task

  Returns one answer per task, in order: false when the task data is missing; otherwise
  { taskJson, status, stage, recorded }: the experiment's status and current stage index (false
  when the experiment does not exist) and the result recorded for the task ('' when none: a
  hash, or '!reason' when it was skipped) — followed, only when the experiment is running and
  nothing is recorded, by where in the task data the inputs it read are listed (the 1-based
  position of their "in":[, so the worker can check that list is the one its own parse of the
  task data found) and their artifacts (false when missing).
]]

local most = tonumber(ARGV[1])

local function load(taskKey, expKey, resKey, artKey, index)
  local raw = redis.call('GET', taskKey)
  if not raw then return false end
  local state = redis.call('HMGET', expKey, 'status', 'stage')
  local recorded = redis.call('HGET', resKey, index) or ''
  local out = { raw, state[1], state[2], recorded }
  if state[1] ~= 'running' or recorded ~= '' then return out end
  -- the inputs as fanin_task_json writes them ("in":["h1","h2",...]); the worker checks them
  local at, _, list = string.find(raw, '"in":%[([^%]]*)%]')
  if not at then return out end
  local hashes = {}
  for h in string.gmatch(list, '"([0-9a-f]+)"') do hashes[#hashes + 1] = h end
  if #hashes == 0 or #hashes > most then return out end
  out[5] = at
  local arts = redis.call('HMGET', artKey, unpack(hashes))
  for i = 1, #arts do out[5 + i] = arts[i] end
  return out
end

local answers = {}
for j = 1, (#ARGV - 1) / 2 do
  local e = tonumber(ARGV[2 * j + 1])
  answers[j] = load(KEYS[j], KEYS[e + 1], KEYS[e + 2], KEYS[e + 3], ARGV[2 * j])
end
return answers
