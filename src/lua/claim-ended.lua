--[[
  claim-ended: takes up to ARGV[3] experiments of the shard's ended zset that are due (score at
  most ARGV[1]) for the caller to retire, and re-scores them ARGV[2] ms later, so concurrent
  sweepers (every worker and supervisor sweeps) each get different ones, and one that dies
  mid-retirement leaves its claims to be taken again then.

  KEYS[1] ended zset (shard)

  ARGV[1] now (ms)
  ARGV[2] claim time (ms)
  ARGV[3] most experiments to claim

  Returns the claimed experiment ids.
]]
local now = tonumber(ARGV[1])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
-- removed, then added back with the later score: the first write needs no memory, so claims
-- (and the retirements that free memory) go on when Redis is out of memory
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), id)
end
return ids
