/*
 * Runs in the sandboxed renderer before the page. It exposes exactly one function per IPC
 * channel on `window.conclave` (src/ui/lib/source.ts types it as ConclaveBridge) and never
 * ipcRenderer itself. A sandboxed preload is a classic script, so this file has no imports:
 * `require('electron')` is the sandbox's own, limited to the renderer modules.
 */
const { contextBridge, ipcRenderer } = require('electron') as typeof import('electron');

contextBridge.exposeInMainWorld('conclave', {
  hello: (): Promise<unknown> => ipcRenderer.invoke('conclave:hello'),
  onMessage: (listener: (message: unknown) => void): (() => void) => {
    const forward = (_event: unknown, message: unknown): void => listener(message);
    ipcRenderer.on('conclave:message', forward);
    return () => ipcRenderer.removeListener('conclave:message', forward);
  },
  control: (action: unknown): Promise<unknown> => ipcRenderer.invoke('conclave:control', action),
});
