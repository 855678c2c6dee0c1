import type { Message } from './messages.ts';

/**
 * The term's bounds (docs/protocol.md, "Term bound"). Terms travel as uint64 and live in a
 * double, so the largest is 2^53 − 1. Below TERM_JUMP_LIMIT a node adopts any higher term it
 * hears (a newcomer jumps to the cluster's term at once); above it, only the next term, one
 * election at a time. So no datagram, not even one from a key holder, can leave a cluster
 * without a term to campaign for: about four billion elections remain after any jump.
 */
export const MAX_TERM = Number.MAX_SAFE_INTEGER;
export const TERM_HEADROOM = 2 ** 32;
export const TERM_JUMP_LIMIT = MAX_TERM - TERM_HEADROOM;

/** The highest term a message could make its receiver adopt. */
export function offeredTerm(message: Message): number {
  return message.type === 'vote-request' || message.type === 'vote'
    ? Math.max(message.term, message.voteTerm)
    : message.term;
}

/** Whether a node at `current` may take a message that offers `offered`. */
export function mayAdoptTerm(current: number, offered: number): boolean {
  return offered <= current || offered <= TERM_JUMP_LIMIT || offered === current + 1;
}
