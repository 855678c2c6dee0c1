/**
 * The control token: taken from the link's "#token=…" once, then removed from the address bar
 * (so it is not in the history, a bookmark or a screenshot of the URL) and kept for this tab only.
 */
import { tokenFromHash } from './controls.ts';

const STORAGE_KEY = 'conclave.controlToken';

export function readInitialToken(): string {
  const fromHash = tokenFromHash(location.hash);
  if (fromHash !== null) {
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    storeToken(fromHash);
    return fromHash;
  }
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    // Storage can be off (privacy settings, some embedded hosts): the token is just not kept.
    return '';
  }
}

export function storeToken(token: string): void {
  try {
    if (token === '') sessionStorage.removeItem(STORAGE_KEY);
    else sessionStorage.setItem(STORAGE_KEY, token);
  } catch {
    // See above.
  }
}
