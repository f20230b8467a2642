--[[
  dead-letter: a message that cannot be processed at all (unparseable, unknown stage, task data
  missing or expired) goes to the dead letter with its reason, and its delivery is acknowledged,
  so it is neither lost silently nor redelivered forever.

  KEYS[1] ack key: the stage stream (streams) or the worker's processing list (lists)
  KEYS[2] index of the stage stream (streams; see keys.ts queueIndex)
  KEYS[3] dead-letter key (shard)

  ARGV[1] mode ('stream' | 'list')
  ARGV[2] consumer group (streams)
  ARGV[3] message id (stream entry id, or the raw list item)
  ARGV[4] reason
  ARGV[5] the raw message (for inspection)
  ARGV[6] stage name
  ARGV[7] now (ms)
  ARGV[8] dead-letter stream max length (approximate)

  Returns 1.
]]
--@include transport

fanin_ack(ARGV[1], KEYS[1], KEYS[2], ARGV[2], ARGV[3])
fanin_dead(ARGV[1], KEYS[3], { 'stage', ARGV[6], 'reason', ARGV[4], 'message', ARGV[5], 'at', ARGV[7] }, ARGV[8])
return 1
