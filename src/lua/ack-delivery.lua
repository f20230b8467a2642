--[[
  ack-delivery: acknowledge a delivery that needs no agent run and changes no experiment — a
  duplicate of a task whose result is recorded, or a task of an experiment that ended (or of
  a stage that finished without it).

  KEYS[1] ack key: the stage stream (streams) or the worker's processing list (lists)
  KEYS[2] index of the stage stream (streams; see keys.ts queueIndex)

  ARGV[1] mode ('stream' | 'list')
  ARGV[2] consumer group (streams)
  ARGV[3] message id (stream entry id, or the raw list item)

  Returns the number of deliveries acknowledged (0 or 1).
]]
--@include transport

return fanin_ack(ARGV[1], KEYS[1], KEYS[2], ARGV[2], ARGV[3])
