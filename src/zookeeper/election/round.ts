import { ZkFailure, ZkRequestFailed, type ZkOp, type ZkReply, type ZkRequest, type ZkResultOf } from './requests.ts';

/**
 * A round of the election's talk with ZooKeeper: a generator that yields each request and
 * receives its reply, so that a sequence of requests reads as straight-line code while the
 * election stays a state machine (the generator is where the round stands).
 */
export type Round<T = void> = Generator<ZkRequest, T, ZkReply<unknown>>;

/** One request in a round: yields it and hands back its reply, typed by its operation. */
export function* call<O extends ZkOp>(request: Extract<ZkRequest, { op: O }>): Round<ZkReply<ZkResultOf[O]>> {
  return (yield request) as ZkReply<ZkResultOf[O]>;
}

/** The value of a reply that must succeed; otherwise the round ends (and is retried). */
export function ok<T>(op: ZkOp, reply: ZkReply<T>): T {
  if (reply.ok) return reply.value;
  throw new ZkRequestFailed(op, reply.failure, reply.message);
}

/** The value of a reply, or `fallback` when it failed with `failure` (any other failure ends the round). */
export function okOr<T, F>(op: ZkOp, reply: ZkReply<T>, failure: ZkFailure, fallback: F): T | F {
  if (!reply.ok && reply.failure === failure) return fallback;
  return ok(op, reply);
}
