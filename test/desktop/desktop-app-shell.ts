/**
 * A DesktopShell and DesktopProcess without Electron, for runDesktopApp: it records exits,
 * windows and the profile folder, and behaves as Electron does where the app depends on it —
 * exit() only records and returns; quit() emits before-quit and exits 0 unless put off.
 */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { Session } from '../../src/session/session.ts';
import type { DesktopProcess, DesktopShell } from '../../src/desktop/desktop-app.ts';

export class TestShell implements DesktopShell {
  readonly exits: number[] = [];
  readonly windows: Session[] = [];
  identity: { name: string; userDataDir: string } | null = null;
  appSuspensionBlocks = 0;
  private readonly events = new EventEmitter();
  readonly platform: NodeJS.Platform;

  constructor(platform: NodeJS.Platform = 'linux') {
    this.platform = platform;
  }

  appDataDir(): string {
    return '/home/someone/.config';
  }
  setIdentity(name: string, userDataDir: string): void {
    this.identity = { name, userDataDir };
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  openWindow(session: Session): void {
    this.windows.push(session);
  }
  exit(code: number): void {
    this.exits.push(code);
  }
  quit(): void {
    if (this.exits.length > 0) return;
    let prevented = false;
    this.events.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.exit(0);
  }
  onBeforeQuit(listener: (event: { preventDefault(): void }) => void): void {
    this.events.on('before-quit', listener);
  }
  onWindowAllClosed(listener: () => void): void {
    this.events.on('window-all-closed', listener);
  }
  onPower(event: 'suspend' | 'resume' | 'shutdown', listener: (event: { preventDefault(): void }) => void): void {
    this.events.on(event, listener);
  }
  preventAppSuspension(): () => void {
    this.appSuspensionBlocks++;
    return () => this.appSuspensionBlocks--;
  }

  /** As powerMonitor would: returns true if a listener put the event off. */
  power(event: 'suspend' | 'resume' | 'shutdown'): boolean {
    let prevented = false;
    this.events.emit(event, { preventDefault: () => (prevented = true) });
    return prevented;
  }

  /** Resolves with the exit status once the app has exited (within `ms`). */
  async exited(ms = 15_000): Promise<number> {
    const deadline = Date.now() + ms;
    while (this.exits.length === 0) {
      if (Date.now() > deadline) throw new Error(`the app did not exit within ${ms} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.exits[0]!;
  }
}

export class TestProcess extends EventEmitter implements DesktopProcess {
  readonly stdin = new PassThrough();
  out = '';
  err = '';
  readonly stdout = { write: (text: string) => (this.out += text) };
  readonly stderr = { write: (text: string) => (this.err += text) };

  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;

  constructor(args: readonly string[], env: NodeJS.ProcessEnv) {
    super();
    this.args = args;
    this.env = env;
  }
}
