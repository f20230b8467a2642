--[[
  retire-experiment: gives keys of ended experiments their retention, counted from each one's
  end (PEXPIREAT: a key whose time has passed goes at once). One call may carry several
  experiments (segments), and one experiment's keys may be spread over several calls (a wide
  one); the segment marked last also expires the experiment hash and takes the experiment off
  the ended zset. An experiment that is running (or gone) is left untouched.

  KEYS[1] ended zset (shard)
  KEYS[2..] per segment: the experiment hash, then its keys (first the task-data keys, then
            the others: results hashes, artifacts, the done signal)

  ARGV, per segment, six values: experiment id, expiry of the task data (ms since the epoch:
  its end + taskTtlMs), expiry of every other key (its end + retentionMs), how many task-data
  keys, how many other keys, '1' when it is the experiment's last segment.

  Returns one answer per segment: 'retired' | 'partial' | 'running' | 'missing'.
]]
local out = {}
local k = 2
for s = 0, #ARGV / 6 - 1 do
  local id, taskAt, otherAt = ARGV[6 * s + 1], ARGV[6 * s + 2], ARGV[6 * s + 3]
  local tasks, others, last = tonumber(ARGV[6 * s + 4]), tonumber(ARGV[6 * s + 5]), ARGV[6 * s + 6] == '1'
  local expKey = KEYS[k]
  local status = redis.call('HGET', expKey, 'status')
  if not status or status == 'running' then
    redis.call('ZREM', KEYS[1], id)
    out[#out + 1] = status and 'running' or 'missing'
  else
    for i = 1, tasks do redis.call('PEXPIREAT', KEYS[k + i], taskAt) end
    for i = tasks + 1, tasks + others do redis.call('PEXPIREAT', KEYS[k + i], otherAt) end
    if last then
      redis.call('PEXPIREAT', expKey, otherAt)
      redis.call('ZREM', KEYS[1], id)
      out[#out + 1] = 'retired'
    else
      out[#out + 1] = 'partial'
    end
  end
  k = k + 1 + tasks + others
end
return out
