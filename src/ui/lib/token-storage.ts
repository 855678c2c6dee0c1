/**
 * A page's action token (a node's control token, the lab's): taken from the link's "#token=…"
 * once, then removed from the address bar (so it is not in the history, a bookmark or a screenshot
 * of the URL) and kept for this tab only.
 */
import { tokenFromHash } from './controls.ts';

const STORAGE_KEY = 'conclave.controlToken';
export const LAB_TOKEN_KEY = 'conclave.labToken';

export function readInitialToken(key = STORAGE_KEY): string {
  const fromHash = tokenFromHash(location.hash);
  if (fromHash !== null) {
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    storeToken(fromHash, key);
    return fromHash;
  }
  try {
    return sessionStorage.getItem(key) ?? '';
  } catch {
    // Storage can be off (privacy settings, some embedded hosts): the token is just not kept.
    return '';
  }
}

export function storeToken(token: string, key = STORAGE_KEY): void {
  try {
    if (token === '') sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, token);
  } catch {
    // See above.
  }
}
