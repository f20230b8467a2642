import { ConfigError } from '../errors.js';
import { ListsTransport } from './lists.js';
import { StreamsTransport } from './streams.js';
import type { Transport, TransportKind } from './transport.js';

export function createTransport(kind: TransportKind): Transport {
  if (kind === 'streams') return new StreamsTransport();
  if (kind === 'lists') return new ListsTransport();
  throw new ConfigError(`unknown transport "${String(kind)}": use streams or lists`, { transport: kind });
}
