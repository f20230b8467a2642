--[[
  delete-acked: deletes, in one batch, the entries of a stage stream that every consumer group
  has acknowledged. (A completion acknowledges with XACK alone; this sweep, run by every
  worker's maintenance and at its stop, deletes what was acknowledged since: one call for many
  entries instead of an XDEL per completion.)

  An entry goes only when every group on the stream has read it (its id is at most every
  group's last-delivered-id) and it is pending in none: nothing undelivered or unacknowledged
  is ever removed, whoever else reads the stream. Entries acknowledged behind one that is still
  pending (a long agent) go too: the stream holds only what is queued or running, plus what was
  acknowledged since the last sweep.

  Two steps: everything below the oldest entry any group holds pending (and below every
  group's last-delivered-id) is acknowledged, so it goes with one XTRIM MINID, which frees whole
  stream nodes without reading an entry; then at most ARGV[1] entries from there up to the
  lowest last-delivered-id are read, and those no group holds pending are deleted with one XDEL.

  KEYS[1] stage stream

  ARGV[1] most entries read by the second step (the oldest first)

  Returns the number of entries deleted.
]]

if redis.call('TYPE', KEYS[1]).ok ~= 'stream' then return 0 end

-- stream ids compared exactly, as <ms>-<seq> pairs of decimal strings (no float rounding)
local function less(a, b)
  if #a ~= #b then return #a < #b end
  return a < b
end
local function before(x, y)
  local xm, xs = string.match(x, '^(%d+)-(%d+)$')
  local ym, ys = string.match(y, '^(%d+)-(%d+)$')
  if xm ~= ym then return less(xm, ym) end
  return less(xs, ys)
end

-- the bound: the lowest last-delivered-id of every group (a group without one reads nothing)
local groups = redis.call('XINFO', 'GROUPS', KEYS[1])
local names, bound = {}, nil
for _, g in ipairs(groups) do
  local f = {}
  for i = 1, #g, 2 do f[g[i]] = g[i + 1] end
  names[#names + 1] = f['name']
  local last = f['last-delivered-id']
  if bound == nil or before(last, bound) then bound = last end
end
if bound == nil or bound == '0-0' then return 0 end

-- below the oldest entry any group holds pending, and below the bound, everything was read by
-- every group and is pending in none: acknowledged (a pending id whose entry someone deleted
-- only lowers this floor)
local floor = bound
for _, name in ipairs(names) do
  local summary = redis.call('XPENDING', KEYS[1], name)
  if summary[1] > 0 and before(summary[2], floor) then floor = summary[2] end
end
local trimmed = redis.call('XTRIM', KEYS[1], 'MINID', floor)

local entries = redis.call('XRANGE', KEYS[1], floor, bound, 'COUNT', tonumber(ARGV[1]))
if #entries == 0 then return trimmed end
-- what any group still holds pending among them: every pending id in their range, page by page
-- (the range may also hold pending ids whose entries someone deleted, so no count bounds it)
local first, last = entries[1][1], entries[#entries][1]
local pending = {}
local PAGE = 1000
for _, name in ipairs(names) do
  local from = first
  while true do
    local rows = redis.call('XPENDING', KEYS[1], name, from, last, PAGE)
    for _, p in ipairs(rows) do pending[p[1]] = true end
    if #rows < PAGE then break end
    from = '(' .. rows[#rows][1]
  end
end
local ids = {}
for _, e in ipairs(entries) do
  if not pending[e[1]] then ids[#ids + 1] = e[1] end
end
if #ids == 0 then return trimmed end
return trimmed + redis.call('XDEL', KEYS[1], unpack(ids))
