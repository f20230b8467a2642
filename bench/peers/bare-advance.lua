--[[
  bare-advance (bench peer, bare streams design): acknowledge a source entry and add the next
  stage's messages. A zero acknowledgement means the entry was already acknowledged (a
  duplicate delivery): nothing is added.

  KEYS[1] source stage stream
  KEYS[2] destination stream (the next stage, or the done stream)

  ARGV[1] consumer group of the source stream
  ARGV[2] source entry id
  ARGV[3] approximate MAXLEN of the destination stream
  ARGV[4..] pairs: header JSON, input JSON (one pair per message to add)

  Returns 1 when the entry was acknowledged now, 0 for a duplicate.
]]
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
for i = 4, #ARGV, 2 do
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'h', ARGV[i], 'in', ARGV[i + 1])
end
return 1
