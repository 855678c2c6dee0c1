/**
 * The running observer: the listen-only socket, the node's own wire checks (key, cluster, config
 * ID, voter set, replay), and the view. Times are the wall clock (ms since the epoch), so that its
 * record lines compare with the nodes' own `--json` lines, which are stamped the same way.
 */
import { silenceLimitMs } from '../core/index.ts';
import { Wire, noDrops, type DropReason } from '../wire/wire.ts';
import { ListenOnlySocket } from './listen-only-socket.ts';
import type { WatchRecordLine } from './record-line.ts';
import type { WatchSettings } from './watch-flags.ts';
import { WatchView, type WatchSnapshot } from './watch-view.ts';

/** How often silence is looked for and the page told: a tenth of the leader's default round. */
const TICK_MS = 100;

/** What the page shows beside the view: what the observer listens to, and what it refused. */
export interface ObserverSnapshot extends WatchSnapshot {
  cluster: string;
  configId: string;
  listening: string;
  datagrams: number;
  drops: Partial<Record<DropReason, number>>;
  timeoutMs: number;
  memberBeatMs: number;
}

export class Observer {
  private readonly settings: WatchSettings;
  private readonly view: WatchView;
  private readonly wire: Wire;
  private readonly drops = noDrops();
  private socket: ListenOnlySocket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly lineListeners = new Set<(line: WatchRecordLine) => void>();
  private readonly tickListeners = new Set<() => void>();

  private constructor(settings: WatchSettings) {
    const { config } = settings;
    this.settings = settings;
    this.view = new WatchView({ voters: config.voters, timeoutMs: config.timeoutMs, memberBeatMs: config.memberBeatMs, startMs: Date.now() });
    this.wire = new Wire({
      // 0 is never a node ID: every datagram is another's, checked for replay and impostors.
      selfId: 0,
      cluster: settings.cluster,
      configId: settings.configId,
      voters: config.voters,
      keys: settings.keys,
      aliveMs: silenceLimitMs(config.timeoutMs, config.memberBeatMs),
    });
  }

  static async start(settings: WatchSettings): Promise<Observer> {
    const observer = new Observer(settings);
    observer.socket = await ListenOnlySocket.open(
      { group: settings.group, port: settings.port, interface: settings.interface, multicastBind: settings.multicastBind },
      (bytes, address) => observer.receive(bytes, address),
    );
    observer.timer = setInterval(() => observer.tick(), TICK_MS);
    return observer;
  }

  /** Where it listens, in words for the start-up line. */
  get listening(): string {
    const { iface, plan } = this.socket!;
    return `${plan.join.group}:${plan.port} on ${iface.name} (${iface.address})`;
  }

  /** Called with each record line, as the change is seen. */
  onLine(listener: (line: WatchRecordLine) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /** Called every tick, after silence was looked for. */
  onTick(listener: () => void): () => void {
    this.tickListeners.add(listener);
    return () => this.tickListeners.delete(listener);
  }

  snapshot(): ObserverSnapshot {
    const { config } = this.settings;
    return {
      ...this.view.snapshot(Date.now()),
      cluster: this.settings.cluster,
      configId: this.settings.configId.toString(16),
      listening: this.socket === null ? '' : this.listening,
      datagrams: this.socket?.datagramsReceived ?? 0,
      drops: Object.fromEntries(Object.entries(this.drops).filter(([, count]) => count > 0)),
      timeoutMs: config.timeoutMs,
      memberBeatMs: config.memberBeatMs,
    };
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.socket?.close();
    this.socket = null;
  }

  private receive(bytes: Uint8Array, address: string): void {
    const nowMs = Date.now();
    const inbound = this.wire.decode(bytes, address, nowMs);
    if (!inbound.ok) {
      this.drops[inbound.reason]++;
      return;
    }
    const { message } = inbound;
    // Only heartbeats say what a node thinks; the rest (votes, acks) are authenticated and passed over.
    if (message.type !== 'heartbeat') return;
    this.emit(this.view.heard(message, nowMs));
  }

  private tick(): void {
    this.emit(this.view.tick(Date.now()));
    for (const listener of this.tickListeners) listener();
  }

  private emit(lines: WatchRecordLine[]): void {
    for (const line of lines) for (const listener of this.lineListeners) listener(line);
  }
}
