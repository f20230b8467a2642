--[[
  load-task: one round trip for what a worker needs before running an agent: the task data
  and the artifacts of its inputs.

  KEYS[1] task-data key

  ARGV[1] artifact key prefix of the task's experiment (keys.ts `artifactPrefix`); an input's
          key is this prefix followed by its hash

  Returns false when the task data is missing or expired; otherwise
  { taskJson, artifact1, artifact2, ... } in input order, an artifact being false when missing.
  Task data that is not valid JSON is returned as is (the worker dead-letters it).
]]

local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local ok, task = pcall(cjson.decode, raw)
if not ok or type(task) ~= 'table' or type(task['in']) ~= 'table' or #task['in'] == 0 then return { raw } end
local keys = {}
for i, h in ipairs(task['in']) do keys[i] = ARGV[1] .. h end
local out = redis.call('MGET', unpack(keys))
table.insert(out, 1, raw)
return out
