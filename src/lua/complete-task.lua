--[[
  complete-task: the atomic fan-in, for a batch of completions (those a worker made in one
  turn of its event loop, all of one shard; often one). For each, in order: stores the task's
  result, acknowledges its delivery, and, when it was the last unfinished task of its stage,
  advances the experiment exactly once. A duplicate completion (same task, or a stage that
  already moved on) only acknowledges.

  KEYS: each completion's keys, in this order, from where its ARGV group says (`k` below is
  that position less one); completions with the very same keys (tasks of one experiment) share
  one copy of them:
  k+1 experiment hash
  k+2 results hash of the task's stage
  k+3 artifacts hash of the experiment (the result goes in the field named by its hash)
  k+4 ack key: the stage stream (streams) or the worker's processing list (lists)
  k+5 index of the stage stream (streams; see keys.ts queueIndex)
  k+6 deadlines zset (shard)
  k+7 done-signal key of the experiment
  k+8 ended zset (shard): experiments awaiting retirement
  k+9 queue of the next stage (the task's own queue when there is none)
  k+10 index of that queue
  k+11.. task-data keys of the next stage's tasks (used only when this completion advances)

  ARGV[1] mode ('stream' | 'list')
  ARGV[2] consumer group (streams)
  then, for each completion, a group of 11:
    where its KEYS start (k, 0-based), its number of KEYS, the message id (stream entry id, or
    the raw list item), experiment id, stage index, task index, result hash, result canonical
    JSON, fan-out width returned by the agent (-1 when none), now (ms), completion token
    (unique to this processing attempt: a resend of the same call, its first reply lost to a
    dropped connection, is recognised as already counted)

  The artifacts hash has no TTL: it lives as long as its experiment, then for the retention.

  Returns, per completion in order, { outcome, detail, seconds, microseconds } — the last two
  the server's TIME when the script ran (the commit time of a counted completion) — with
  outcome one of 'recorded' | 'advanced' | 'completed' | 'failed' | 'duplicate' | 'stale' |
  'missing', or 'confirmed' when this very completion was already counted (a resend after a
  lost reply); a confirmed reply carries the TIME of the call that counted it (stored beside
  its token), so the completion keeps its commit time however late the resend comes.

  Out of memory, the batch is refused whole before anything is written: its first write is the
  artifact of the first completion the experiment still expects (see experiment.lua).
]]
--@include transport
--@include experiment

local mode = ARGV[1]
local group = ARGV[2]
local time = redis.call('TIME')

-- one completion: its arguments from ARGV[a + 1] (its group of 11), its keys from KEYS[k + 1];
-- `checked`: its guard's answer when the first pass below already read it and wrote its artifact
local function complete(a, checked)
  local k = tonumber(ARGV[a + 1])
  local K = function(i) return KEYS[k + i] end
  local msgId, expId, si, index = ARGV[a + 3], ARGV[a + 4], tonumber(ARGV[a + 5]), ARGV[a + 6]
  local hash, json, token = ARGV[a + 7], ARGV[a + 8], ARGV[a + 11]
  local function reply(outcome, detail) return { outcome, detail, time[1], time[2] } end
  -- The token field (on the experiment hash, written with the remaining count in one HSET)
  -- holds '<token>@<seconds>.<microseconds>': who was counted, and when.
  local tokenField = 't:' .. ARGV[a + 5] .. ':' .. index
  local function confirmed()
    local stored = redis.call('HGET', K(1), tokenField)
    if not stored then return nil end
    local tok, sec, usec = string.match(stored, '^(.*)@(%d+)%.(%d+)$')
    if tok == token then return { 'confirmed', '', sec, usec } end
    return nil
  end
  local function ack() fanin_ack(mode, K(4), K(5), group, msgId) end
  local state, early = checked, nil
  if not state then state, early = fanin_guard(K(1), si) end
  if not state then
    ack()
    if early[1] == 'stale' then
      local c = confirmed()
      if c then return c end
    end
    return reply(early[1], early[2])
  end
  -- The artifact first: content-addressed (field = its hash), so writing it again is harmless.
  if not checked then redis.call('HSET', K(3), hash, json) end
  if redis.call('HSETNX', K(2), index, hash) == 0 then
    ack()
    return confirmed() or reply('duplicate', '')
  end
  ack()
  -- one write counts the task down and records who was counted, and when (the guard read `rem`;
  -- the script runs alone, so nothing changed it since)
  local rem = (tonumber(state[5]) or 0) - 1
  redis.call('HSET', K(1), 'rem', rem, tokenField, token .. '@' .. time[1] .. '.' .. time[2])
  if rem > 0 then return reply('recorded', tostring(rem)) end
  local nextQueue, nextIndex, nextKeys = fanin_next_keys(k + 9, k + tonumber(ARGV[a + 2]))
  return reply(fanin_advance(mode, K(1), K(2), K(6), K(8), K(7), nextQueue, nextIndex, nextKeys, expId, si,
    tonumber(ARGV[a + 9]), tonumber(ARGV[a + 10])), '')
end

-- The first write is an artifact, when any completion will store one: out of memory, or an
-- artifacts key of the wrong type, refuses the whole call here, before anything is recorded
-- or acknowledged (a refusal Redis makes only at a script's first write). Reading only until then.
local replies = {}
local first = nil
for a = 2, #ARGV - 1, 11 do
  local k = tonumber(ARGV[a + 1])
  local state = fanin_guard(KEYS[k + 1], tonumber(ARGV[a + 5]))
  if state then
    redis.call('HSET', KEYS[k + 3], ARGV[a + 7], ARGV[a + 8])
    first = { a = a, state = state }
    break
  end
end

for a = 2, #ARGV - 1, 11 do
  local checked = nil
  if first and first.a == a then checked = first.state end
  replies[#replies + 1] = complete(a, checked)
end
return replies
