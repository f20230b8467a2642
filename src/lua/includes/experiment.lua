-- Experiment state transitions shared by the scripts. Requires transport.lua.
-- Experiment hash fields: status (running|completed|failed), cause, spec (JSON), params (JSON),
-- stage (current stage index), rem (tasks of the current stage not yet finished), width,
-- w<si> (the width of every stage started), deadline (ms), createdAt, stageStartedAt,
-- finishedAt, result (hash), failedStage, and t:<si>:<i> (the completion token of each counted
-- task, with the TIME it was counted: complete-task.lua).
-- Nothing an experiment owns has a TTL while it runs. When it ends it joins the shard's
-- ended zset, and retire-experiment.lua (driven by pipeline/retire.ts) gives each of its
-- keys the retention, counted from the end.

-- Out of memory (maxmemory under noeviction), Redis refuses a script's first write that may add
-- data and lets the rest of a script that has written run on. So a script that adds data (a
-- result, a retry, a dead letter) makes that write first and acknowledges after it: out of
-- memory it is refused whole, typed REDIS_OOM, and retried. What frees memory or ends work
-- (the acknowledgement of an obsolete delivery, an overdue experiment's end, retirement,
-- renewals) writes first something that needs no memory, and goes through.

-- Checks (reading only) that the experiment still runs stage `si`. Returns the experiment's
-- { status, stage, width, ret, rem } fields, or nil plus the script's early answer ({ 'missing' }
-- or { 'stale', detail }) when the delivery is obsolete.
local function fanin_guard(expKey, si)
  local state = redis.call('HMGET', expKey, 'status', 'stage', 'width', 'ret', 'rem')
  if not state[1] then return nil, { 'missing', '' } end
  if state[1] ~= 'running' then return nil, { 'stale', state[1] } end
  if tonumber(state[2]) ~= si then return nil, { 'stale', 'stage ' .. state[2] } end
  return state, nil
end

-- Ends an experiment: status 'completed' (with its result hash) or 'failed' (with the cause
-- and the stage it failed in), signals every waiter, and queues it for retirement (the
-- ended zset, scored by the end time).
local function fanin_finish(mode, expKey, deadlinesKey, endedKey, doneKey, expId, status, cause, result, now, retentionMs, failedStage)
  redis.call('HSET', expKey, 'status', status, 'cause', cause, 'result', result, 'finishedAt', now,
    'failedStage', failedStage or '')
  redis.call('ZREM', deadlinesKey, expId)
  redis.call('ZADD', endedKey, now, expId)
  fanin_signal(mode, doneKey, status, retentionMs)
end

-- Builds the task-data JSON documents of one stage's tasks: every field but the task id and
-- index is the stage's, so that part is encoded once per stage and each task's document is one
-- concatenation (a wide fan-out encodes it once, not once per task). Inputs are hex hashes,
-- missing are integers: both are safe to concatenate, and this keeps empty arrays as [] (cjson
-- would write {}). Returns a function of (taskId, index) giving the document.
local function fanin_task_json(expId, stage, stageIndex, width, inputs, missing, expected,
                               maxAttempts, deadline, paramsJson, nextStage, nextWidth, attemptTimeout)
  local inJson = '[]'
  if #inputs > 0 then inJson = '["' .. table.concat(inputs, '","') .. '"]' end
  local missJson = '[' .. table.concat(missing, ',') .. ']'
  local mid = ',"exp":' .. cjson.encode(expId) .. ',"stage":' .. cjson.encode(stage) .. ',"si":' .. stageIndex .. ',"i":'
  local tail = ',"w":' .. width .. ',"in":' .. inJson .. ',"miss":' .. missJson .. ',"ex":' .. expected ..
    ',"a":1,"ma":' .. maxAttempts .. ',"dl":' .. string.format('%d', deadline) ..
    ',"p":' .. paramsJson .. ',"ns":' .. cjson.encode(nextStage) .. ',"nw":' .. nextWidth ..
    ',"to":' .. (attemptTimeout or 0) .. '}'
  return function(taskId, index) return '{"id":' .. cjson.encode(taskId) .. mid .. index .. tail end
end

-- Creates and enqueues the tasks of stage `si` (0-based) of an experiment.
-- taskKeys: the task-data keys (one per task, built by keys.ts); their count is the width.
local function fanin_start_stage(mode, expKey, deadlinesKey, queueKey, queueIndex, taskKeys, expId, spec, si,
                                 inputs, missing, expected, paramsJson, now)
  local st = spec.stages[si + 1]
  local width = #taskKeys
  local deadline = now + st.t
  local nextStage, nextWidth = '', 0
  if si + 2 <= #spec.stages then
    nextStage = spec.stages[si + 2].n
    nextWidth = spec.stages[si + 2].w
  end
  local taskJson = fanin_task_json(expId, st.n, si, width, inputs, missing, expected, st.a, deadline, paramsJson,
    nextStage, nextWidth, st.x)
  for i = 0, width - 1 do
    local taskId = expId .. '/' .. si .. '/' .. i
    redis.call('SET', taskKeys[i + 1], taskJson(taskId, i))
    fanin_push(mode, queueKey, queueIndex, taskId, taskKeys[i + 1], expId)
  end
  redis.call('HSET', expKey, 'stage', si, 'rem', width, 'width', width, 'w' .. si, width, 'deadline', deadline,
    'stageStartedAt', now)
  redis.call('ZADD', deadlinesKey, deadline, expId)
end

-- The fan-in: called when the last task of stage `si` finished (completed or skipped).
-- Either starts the next stage, completes the experiment, or fails it (too few successes, or
-- a result that vanished). The stage's width is the experiment's record of it, never a
-- count of the results found. Returns 'advanced', 'completed' or 'failed'.
local function fanin_advance(mode, expKey, resKey, deadlinesKey, endedKey, doneKey, nextQueue, nextIndex, nextTaskKeys,
                             expId, si, fanOut, now)
  -- one read of what the fan-in needs from the experiment: spec, this stage's width, params
  local rec = redis.call('HMGET', expKey, 'spec', 'w' .. si, 'width', 'params')
  local spec = cjson.decode(rec[1])
  local st = spec.stages[si + 1]
  local width = tonumber(rec[2] or rec[3])
  local inputs, missing, vanished = {}, {}, {}
  local CHUNK = 1000
  for from = 0, width - 1, CHUNK do
    local fields = {}
    for i = from, math.min(width, from + CHUNK) - 1 do fields[#fields + 1] = tostring(i) end
    local values = redis.call('HMGET', resKey, unpack(fields))
    for j, v in ipairs(values) do
      local i = from + j - 1
      if not v then
        vanished[#vanished + 1] = i
      elseif string.sub(v, 1, 1) == '!' then
        missing[#missing + 1] = i
      else
        inputs[#inputs + 1] = v
      end
    end
  end
  if #vanished > 0 then
    fanin_finish(mode, expKey, deadlinesKey, endedKey, doneKey, expId, 'failed',
      'stage ' .. st.n .. ': the results of ' .. #vanished .. ' of ' .. width .. ' finished tasks are missing (first: task ' ..
      vanished[1] .. '); the results hash was deleted or evicted', '', now, spec.r, st.n)
    return 'failed'
  end
  if #inputs < st.m then
    fanin_finish(mode, expKey, deadlinesKey, endedKey, doneKey, expId, 'failed',
      'stage ' .. st.n .. ': ' .. #inputs .. ' of ' .. width .. ' tasks succeeded, at least ' .. st.m .. ' required',
      '', now, spec.r, st.n)
    return 'failed'
  end
  if si + 1 >= #spec.stages then
    fanin_finish(mode, expKey, deadlinesKey, endedKey, doneKey, expId, 'completed', '', inputs[1], now, spec.r)
    return 'completed'
  end
  local nst = spec.stages[si + 2]
  local nextWidth = nst.w
  if nextWidth < 0 then nextWidth = fanOut end
  if nextWidth < 1 or nextWidth ~= #nextTaskKeys then
    fanin_finish(mode, expKey, deadlinesKey, endedKey, doneKey, expId, 'failed',
      'stage ' .. nst.n .. ': fan-out width ' .. nextWidth .. ' is invalid (stage ' .. st.n ..
      ' must return fanOut >= 1 for a dynamic stage)', '', now, spec.r, nst.n)
    return 'failed'
  end
  fanin_start_stage(mode, expKey, deadlinesKey, nextQueue, nextIndex, nextTaskKeys, expId, spec, si + 1,
    inputs, missing, width, rec[4], now)
  return 'advanced'
end

-- The next stage's keys of a fan-in script: KEYS[at] its queue, KEYS[at + 1] the queue's
-- index, KEYS[at + 2..last] the task-data keys of its tasks (last: #KEYS unless given).
local function fanin_next_keys(at, last)
  local taskKeys = {}
  for i = at + 2, last or #KEYS do taskKeys[#taskKeys + 1] = KEYS[i] end
  return KEYS[at], KEYS[at + 1], taskKeys
end

-- Counts one finished (completed or skipped) task of stage `si`. While tasks remain, returns
-- nil and the remaining count; for the last one, runs the fan-in (fanin_advance) with the
-- next stage's keys from KEYS[nextAt..] (see fanin_next_keys) and returns its outcome.
local function fanin_count_down(mode, expKey, resKey, deadlinesKey, endedKey, doneKey, nextAt,
                                expId, si, fanOut, now)
  local rem = redis.call('HINCRBY', expKey, 'rem', -1)
  if rem > 0 then return nil, rem end
  local nextQueue, nextIndex, nextKeys = fanin_next_keys(nextAt)
  return fanin_advance(mode, expKey, resKey, deadlinesKey, endedKey, doneKey, nextQueue, nextIndex, nextKeys, expId, si,
    fanOut, now), 0
end
