/**
 * The secret that guards a page's actions (a node's dashboard controls, the lab's buttons): 128
 * bits from the OS per run, handed to the page in the URL's fragment (never sent over the network,
 * unreadable by another site) and sent back in an `Authorization: Bearer` header, which a
 * cross-site form cannot set and a cross-site script cannot send without a CORS preflight that
 * these servers never grant.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export function newControlToken(): string {
  return randomBytes(16).toString('hex');
}

/** Whether an Authorization header carries `token`, compared in constant time. */
export function bearerTokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
