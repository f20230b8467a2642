--[[
  complete-task: the atomic fan-in. Stores a task's result, acknowledges its delivery, and, when
  it was the last unfinished task of its stage, advances the experiment exactly once. A duplicate
  completion (same task, or a stage that already moved on) only acknowledges.

  KEYS[1] experiment hash
  KEYS[2] results hash of the task's stage
  KEYS[3] artifacts hash of the experiment (the result goes in the field named by its hash)
  KEYS[4] ack key: the stage stream (streams) or the worker's processing list (lists)
  KEYS[5] index of the stage stream (streams; see keys.ts queueIndex)
  KEYS[6] deadlines zset (shard)
  KEYS[7] done-signal key of the experiment
  KEYS[8] ended zset (shard): experiments awaiting retirement
  KEYS[9] queue of the next stage (the task's own queue when there is none)
  KEYS[10] index of that queue
  KEYS[11..] task-data keys of the next stage's tasks (used only when this completion advances)

  ARGV[1] mode ('stream' | 'list')
  ARGV[2] consumer group (streams)
  ARGV[3] message id (stream entry id, or the raw list item)
  ARGV[4] experiment id
  ARGV[5] stage index
  ARGV[6] task index
  ARGV[7] result hash
  ARGV[8] result canonical JSON
  ARGV[9] fan-out width returned by the agent (-1 when none)
  ARGV[10] now (ms)
  ARGV[11] completion token: unique to this processing attempt; a resend of the same call
           (its first reply lost to a dropped connection) is recognised as already counted

  The artifacts hash has no TTL: it lives as long as its experiment, then for the retention.

  Returns { outcome, detail, seconds, microseconds } — the last two the server's TIME when the
  script ran (the commit time of a counted completion) — with outcome one of
  'recorded' | 'advanced' | 'completed' | 'failed' | 'duplicate' | 'stale' | 'missing', or
  'confirmed' when this very call was already counted (a resend after a lost reply); a
  confirmed reply carries the TIME of the call that was counted (stored beside its token), so
  the completion keeps its commit time however late the resend comes.
]]
--@include transport
--@include experiment

local mode = ARGV[1]
local time = redis.call('TIME')
local function reply(outcome, detail) return { outcome, detail, time[1], time[2] } end
local si = tonumber(ARGV[5])
-- The token field (on the experiment hash, written with the remaining count in one HSET)
-- holds '<token>@<seconds>.<microseconds>': who was counted, and when.
local tokenField = 't:' .. ARGV[5] .. ':' .. ARGV[6]
local function confirmed()
  local stored = redis.call('HGET', KEYS[1], tokenField)
  if not stored then return nil end
  local token, sec, usec = string.match(stored, '^(.*)@(%d+)%.(%d+)$')
  if token == ARGV[11] then return { 'confirmed', '', sec, usec } end
  return nil
end
local function ack() fanin_ack(mode, KEYS[4], KEYS[5], ARGV[2], ARGV[3]) end
local state, early = fanin_guard(KEYS[1], si)
if not state then
  ack()
  if early[1] == 'stale' then
    local c = confirmed()
    if c then return c end
  end
  return reply(early[1], early[2])
end
-- The artifact first: content-addressed (field = its hash), so writing it again is harmless,
-- and it is the first write: out of memory, or an artifacts key of the wrong type, refuses the
-- whole call here, before anything is recorded (see experiment.lua). (No separate type check.)
redis.call('HSET', KEYS[3], ARGV[7], ARGV[8])
if redis.call('HSETNX', KEYS[2], ARGV[6], ARGV[7]) == 0 then
  ack()
  return confirmed() or reply('duplicate', '')
end
ack()
-- one write counts the task down and records who was counted, and when (the guard read `rem`;
-- the script runs alone, so nothing changed it since)
local rem = (tonumber(state[5]) or 0) - 1
redis.call('HSET', KEYS[1], 'rem', rem, tokenField, ARGV[11] .. '@' .. time[1] .. '.' .. time[2])
if rem > 0 then return reply('recorded', tostring(rem)) end
local nextQueue, nextIndex, nextKeys = fanin_next_keys(9)
return reply(fanin_advance(mode, KEYS[1], KEYS[2], KEYS[6], KEYS[8], KEYS[7], nextQueue, nextIndex, nextKeys, ARGV[4], si,
  tonumber(ARGV[9]), tonumber(ARGV[10])), '')
