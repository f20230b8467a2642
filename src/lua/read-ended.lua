--[[
  read-ended: what retiring a batch of ended experiments needs to know, in one call: each
  experiment's status, spec, end time and the width of every stage it started (w<si>). Not
  HGETALL: the hash also holds one completion token per counted task. Reads only.

  KEYS[1..] experiment hashes (keys.ts)

  Returns one flat field/value list per key (the fields that exist), in KEYS order.
]]
local out = {}
for i = 1, #KEYS do
  local fields = { 'status', 'spec', 'finishedAt' }
  local values = redis.call('HMGET', KEYS[i], unpack(fields))
  local ok, spec = false, nil
  if values[2] then ok, spec = pcall(cjson.decode, values[2]) end
  if ok and type(spec) == 'table' and type(spec.stages) == 'table' and #spec.stages > 0 then
    local widths = {}
    for si = 0, #spec.stages - 1 do widths[#widths + 1] = 'w' .. si end
    local w = redis.call('HMGET', KEYS[i], unpack(widths))
    for j = 1, #widths do
      fields[#fields + 1] = widths[j]
      values[#fields] = w[j]
    end
  end
  local flat = {}
  for j = 1, #fields do
    if values[j] then
      flat[#flat + 1] = fields[j]
      flat[#flat + 1] = values[j]
    end
  end
  out[i] = flat
end
return out
