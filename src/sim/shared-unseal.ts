import type { KeyRing } from '../wire/seal.ts';
import { unseal, type Unsealed } from '../wire/wire.ts';

/**
 * Authenticates and decodes each datagram once, however many hosts receive it: the network hands
 * every receiver of a multicast the same bytes, and a 100-node run spent a fifth of its time
 * checking the same MAC and decoding the same envelope 99 times over. What every receiver then
 * gets is frozen, so that one receiver changing the message it was given would throw instead of
 * changing what the others read. The checks that belong to each receiver (cluster, config,
 * voters, replay) still run in each one's own Wire.
 */
export function sharedUnseal(keys: KeyRing): (bytes: Uint8Array) => Unsealed {
  const unsealed = new WeakMap<Uint8Array, Unsealed>();
  return (bytes) => {
    let result = unsealed.get(bytes);
    if (result === undefined) unsealed.set(bytes, (result = deepFreeze(unseal(bytes, keys))));
    return result;
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value) || ArrayBuffer.isView(value)) return value;
  for (const field of Object.values(value)) deepFreeze(field);
  return Object.freeze(value);
}
