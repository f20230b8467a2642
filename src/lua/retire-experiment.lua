--[[
  retire-experiment: gives keys of an ended experiment their retention, counted from its end
  (PEXPIREAT: a key whose time has passed goes at once). Several calls may share one
  experiment's keys (a wide one); the last also expires the experiment hash and takes the
  experiment off the ended zset. An experiment that is running (or gone) is left untouched.

  KEYS[1] ended zset (shard)
  KEYS[2] experiment hash
  KEYS[3..] keys the experiment owns: first ARGV[4] task-data keys, then the others (results
            hashes, artifacts, the done signal)

  ARGV[1] experiment id
  ARGV[2] expiry of the task data (ms since the epoch: its end + taskTtlMs)
  ARGV[3] expiry of every other key (its end + retentionMs)
  ARGV[4] how many of KEYS[3..] are task-data keys
  ARGV[5] '1' on the last call for this experiment

  Returns 'retired' | 'partial' | 'running' | 'missing'.
]]
local status = redis.call('HGET', KEYS[2], 'status')
if not status then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 'missing'
end
if status == 'running' then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 'running'
end
local tasks = tonumber(ARGV[4])
for i = 3, #KEYS do
  if i - 2 <= tasks then
    redis.call('PEXPIREAT', KEYS[i], ARGV[2])
  else
    redis.call('PEXPIREAT', KEYS[i], ARGV[3])
  end
end
if ARGV[5] ~= '1' then return 'partial' end
redis.call('PEXPIREAT', KEYS[2], ARGV[3])
redis.call('ZREM', KEYS[1], ARGV[1])
return 'retired'
