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
if #ids == 0 then return ids end
-- The first write needs no memory (PERSIST of a key without a TTL changes nothing), so the
-- re-scoring ZADDs after it go on when Redis is out of memory, and so do the retirements that
-- free memory. Not ZREM then ZADD: removing the last member deletes the key, and on a slot
-- being migrated away a key the node no longer has is not its own — the ZADD would fail after
-- the ZREM, and the experiment would leave the zset unretired.
redis.call('PERSIST', KEYS[1])
for _, id in ipairs(ids) do
  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), id)
end
return ids
