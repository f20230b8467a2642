--[[
  delete-acked: deletes, in one batch, the entries of a stage stream that every consumer group
  has acknowledged. (A completion acknowledges with XACK alone; this sweep, run by every
  worker's maintenance and at its stop, deletes what was acknowledged since: one XDEL for many
  entries instead of one per completion.)

  An entry goes only when every group on the stream has read it (its id is at most the group's
  last-delivered-id) and it is pending in none (its id is below every group's oldest pending
  id): nothing undelivered or unacknowledged is ever removed, whoever else reads the stream.

  KEYS[1] stage stream

  ARGV[1] most entries deleted by this call

  Returns the number of entries deleted.
]]

if redis.call('TYPE', KEYS[1]).ok ~= 'stream' then return 0 end

-- stream ids compared as <ms>-<seq> pairs
local function parts(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local function before(a, b)
  local am, as = parts(a)
  local bm, bs = parts(b)
  return am < bm or (am == bm and as < bs)
end

-- the bound: the lowest of each group's oldest pending id (exclusive) or, with nothing
-- pending, its last-delivered-id (inclusive)
local bound, exclusive = nil, false
for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local f = {}
  for i = 1, #g, 2 do f[g[i]] = g[i + 1] end
  local p = redis.call('XPENDING', KEYS[1], f['name'])
  local id, excl = f['last-delivered-id'], false
  if tonumber(p[1]) > 0 then id, excl = p[2], true end
  if bound == nil or before(id, bound) or (id == bound and excl) then bound, exclusive = id, excl end
end
if bound == nil or bound == '0-0' then return 0 end

local entries = redis.call('XRANGE', KEYS[1], '-', (exclusive and '(' or '') .. bound, 'COUNT', tonumber(ARGV[1]))
if #entries == 0 then return 0 end
local ids = {}
for i, e in ipairs(entries) do ids[i] = e[1] end
return redis.call('XDEL', KEYS[1], unpack(ids))
