--[[
  bare-arrive (bench peer, bare streams design): acknowledge a source entry and record its
  result in the fan-in hash; the last arrival adds one message carrying every result (a JSON
  array of the hash's values) to the next stage and deletes the hash. A zero acknowledgement
  means a duplicate delivery: nothing is recorded.

  KEYS[1] source stage stream
  KEYS[2] fan-in hash of the experiment (field: arrival index, value: result JSON)
  KEYS[3] destination stage stream

  ARGV[1] consumer group of the source stream
  ARGV[2] source entry id
  ARGV[3] approximate MAXLEN of the destination stream
  ARGV[4] arrival index (hash field)
  ARGV[5] result JSON
  ARGV[6] width of the fan-in (arrivals expected)
  ARGV[7] header JSON of the fan-in message

  Returns 0 for a duplicate, 1 for an arrival, 2 for the last arrival (the message was added).
]]
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
if redis.call('HLEN', KEYS[2]) < tonumber(ARGV[6]) then return 1 end
local values = redis.call('HVALS', KEYS[2])
redis.call('DEL', KEYS[2])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', 'h', ARGV[7], 'in', '[' .. table.concat(values, ',') .. ']')
return 2
