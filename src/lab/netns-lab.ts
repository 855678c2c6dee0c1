/**
 * Hosts built from network namespaces, for the tests and the demo lab: a "switch" namespace with
 * a bridge, and one namespace per node with a veth to it (10.77.<lab>.<id>/24, multicast routed
 * to eth0). Nothing touches the machine's own interfaces. Processes are started and killed by the
 * PIDs this lab started, and every namespace is deleted at the end, also when a test fails or the
 * process exits.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeEvent } from '../contract/events.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/conclave.js');
/** Namespaces of every lab in this process, deleted on exit whatever happens. */
const LIVE_NAMESPACES = new Set<string>();
const LIVE_PIDS = new Set<number>();
let labCounter = 0;

process.on('exit', () => {
  for (const pid of LIVE_PIDS) tryKill(pid, 'SIGKILL');
  for (const ns of LIVE_NAMESPACES) {
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
});

export interface LabNode {
  id: number;
  ns: string;
  ip: string;
  process: ChildProcess | null;
  /** Every event line of every process this node ran, in order. */
  events: NodeEvent[];
  stderr: string;
  /** Events of the current process only. */
  current: NodeEvent[];
  /** Each process this node ran: its events and when it exited. */
  runs: Array<{ events: NodeEvent[]; exitedAt: number | null }>;
}

export interface LabOptions {
  /** Namespace names start with it (at most 6 characters); the demo's are found by it later. */
  prefix?: string;
  /** The cluster key; default a random one. */
  key?: string;
  /** Keep every event of every node (tests check them all); false keeps the last one only. */
  retainEvents?: boolean;
  /**
   * 'loopback': no namespaces; every node on this host's loopback, on a multicast group and port
   * of their own (for a lab without root). Unplugging, partitions and loss need 'netns'.
   */
  mode?: 'netns' | 'loopback';
  /**
   * The command line of a node, instead of `conclave run` (the benchmark runs node-discover this
   * way). It must print JSON event lines like `conclave run --json`.
   */
  command?: (node: { id: number; nodeId: number; dir: string; flags: string[] }) => string[];
  /**
   * The program that is `conclave`, before `run` and its flags: default this checkout's command
   * under this Node (the benchmark also runs the single executable of `npm run package`).
   */
  program?: readonly string[];
}

export class NetnsLab {
  readonly name: string;
  readonly key: string;
  private readonly retainEvents: boolean;
  private readonly command: LabOptions['command'];
  private readonly program: readonly string[];
  readonly mode: 'netns' | 'loopback';
  /** The loopback mode's own group and port, so that it meets no other cluster on this host. */
  private readonly loopbackChannel: { group: string; port: number };
  private groups: number[][] = [];
  private lossPercent = 0;
  readonly subnet: string;
  readonly nodes: LabNode[];
  readonly switchNs: string;
  /** Namespaces a subclass added beyond the switch and the nodes (a router, a second switch). */
  protected readonly extraNamespaces: string[] = [];
  readonly dir: string;
  private readonly size: number;
  /** Wall-clock times of the actions, for the overlap check and the measurements. */
  readonly log: Array<{ ts: number; action: string }> = [];
  /** Called with every event line of every node, as it arrives. */
  onEvent: (id: number, event: NodeEvent) => void = () => {};
  /** Called when a node's process exits. */
  onExit: (id: number, code: number | null, signal: NodeJS.Signals | null) => void = () => {};

  protected constructor(size: number, clusterSize: number, options: LabOptions = {}) {
    const index = ++labCounter;
    this.size = clusterSize;
    this.key = options.key ?? randomBytes(24).toString('hex');
    this.retainEvents = options.retainEvents ?? true;
    this.mode = options.mode ?? 'netns';
    this.command = options.command;
    this.program = options.program ?? [process.execPath, '--enable-source-maps', CLI];
    const random = randomBytes(3);
    this.loopbackChannel = { group: `239.255.${random[0]}.${random[1]! | 1}`, port: 20_000 + ((random[2]! << 7) % 40_000) };
    this.name = `${options.prefix ?? 'cv'}${process.pid % 100000}x${index}`;
    this.subnet = `10.77.${(process.pid + index) % 250}`;
    this.switchNs = `${this.name}-sw`;
    this.dir = mkdtempSync(join(tmpdir(), `${this.name}-`));
    writeFileSync(join(this.dir, 'key'), `1:${this.key}\n`, { mode: 0o600 });
    this.nodes = Array.from({ length: size }, (_, i) => ({
      id: i + 1,
      ns: `${this.name}-n${i + 1}`,
      ip: `${this.subnet}.${i + 1}`,
      process: null,
      events: [],
      stderr: '',
      current: [],
      runs: [],
    }));
  }

  /** `size` hosts; by default each runs the node with its own number as ID, in a cluster of `size`. */
  static create(size: number, clusterSize = size, options: LabOptions = {}): NetnsLab {
    return NetnsLab.built(new NetnsLab(size, clusterSize, options));
  }

  /** Builds the namespaces of a new lab; on failure deletes what was made. */
  protected static built<L extends NetnsLab>(lab: L): L {
    try {
      lab.build();
    } catch (error) {
      lab.destroy();
      throw error;
    }
    return lab;
  }

  node(id: number): LabNode {
    return this.nodes[id - 1]!;
  }

  /** Runs a command inside a namespace. */
  exec(ns: string, command: string[], input?: string): string {
    if (this.mode !== 'netns') throw new Error('this lab has no network namespaces (loopback mode)');
    return execFileSync('ip', ['netns', 'exec', ns, ...command], { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
  }

  /** Starts `conclave run` on host `id`, as node `id` unless `nodeId` says otherwise. */
  start(id: number, flags: string[] = [], nodeId = id): void {
    const node = this.node(id);
    if (node.process !== null) throw new Error(`n${id} is running`);
    const network =
      this.mode === 'netns'
        ? ['--interface', 'eth0']
        : ['--interface', 'lo', '--group', this.loopbackChannel.group, '--port', String(this.loopbackChannel.port)];
    const nodeArgs = this.command?.({ id, nodeId, dir: this.dir, flags }) ?? [
      ...this.program, 'run',
      '--id', String(nodeId), '--cluster-size', String(this.size), ...network, '--json',
      '--key-file', join(this.dir, 'key'), '--data-dir', join(this.dir, `n${id}`), '--cluster', 'lab',
      ...flags,
    ];
    const [command, ...args] = this.mode === 'netns' ? ['ip', 'netns', 'exec', node.ns, ...nodeArgs] : nodeArgs;
    const child = spawn(command!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    LIVE_PIDS.add(child.pid!);
    node.process = child;
    const run = { events: [] as NodeEvent[], exitedAt: null as number | null };
    node.runs.push(run);
    node.current = run.events;
    let buffer = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        let event: NodeEvent;
        try {
          event = JSON.parse(line) as NodeEvent;
        } catch {
          node.stderr += `[unparsed stdout] ${line}\n`;
          continue;
        }
        if (this.retainEvents) {
          node.events.push(event);
          run.events.push(event);
        } else {
          // A long-running lab keeps only what latest() needs.
          run.events.splice(0, run.events.length, event);
        }
        this.onEvent(node.id, event);
      }
    });
    // The tail is enough to say what went wrong, and a lab may run for hours.
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (node.stderr = (node.stderr + chunk).slice(-16_384)));
    child.once('exit', (code, signal) => {
      run.exitedAt = Date.now();
      LIVE_PIDS.delete(child.pid!);
      if (node.process === child) node.process = null;
      this.onExit(node.id, code, signal);
    });
    this.note(`start n${id}`);
  }

  startAll(flags: string[] = []): void {
    for (const node of this.nodes.slice(0, this.size)) this.start(node.id, flags);
  }

  /** Sends a signal to the process this lab started for node `id`; resolves when it exited. */
  async signal(id: number, signal: NodeJS.Signals): Promise<number | null> {
    const child = this.node(id).process;
    if (child === null) throw new Error(`n${id} is not running`);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    this.note(`${signal} n${id}`);
    child.kill(signal);
    return exited;
  }

  unplug(id: number): void {
    this.exec(this.node(id).ns, ['ip', 'link', 'set', 'eth0', 'down']);
    this.note(`unplug n${id}`);
  }

  replug(id: number): void {
    const node = this.node(id);
    this.exec(node.ns, ['ip', 'link', 'set', 'eth0', 'up']);
    this.exec(node.ns, ['ip', 'route', 'replace', '224.0.0.0/4', 'dev', 'eth0']);
    this.note(`replug n${id}`);
  }

  /** Each group hears only itself: every node drops what arrives from outside its group. */
  partition(groups: number[][]): void {
    this.groups = groups.map((g) => [...g]);
    this.applyFilters();
    this.note(`partition ${groups.map((g) => `[${g}]`).join(' | ')}`);
  }

  /** Each node drops this share of what it receives, at random (nftables numgen); 0 stops it. */
  loss(percent: number): void {
    this.lossPercent = percent;
    this.applyFilters();
    this.note(`loss ${percent}%`);
  }

  /** Ends the partition and the loss. */
  heal(): void {
    this.groups = [];
    this.lossPercent = 0;
    this.applyFilters();
    this.note('heal');
  }

  /** The partition and the loss in force, together, as every node's input filter. */
  private applyFilters(): void {
    for (const node of this.nodes) {
      const rules: string[] = [];
      const group = this.groups.find((g) => g.includes(node.id));
      const outside = group === undefined ? [] : this.nodes.filter((n) => !group.includes(n.id)).map((n) => n.ip);
      if (outside.length > 0) rules.push(`ip saddr { ${outside.join(', ')} } drop`);
      if (this.lossPercent > 0) rules.push(`meta l4proto udp numgen random mod 100 < ${this.lossPercent} drop`);
      this.rules(node.id, rules);
    }
  }

  /** The last event of node `id`'s current process (its role, term, leader and quorum). */
  latest(id: number): NodeEvent | undefined {
    return this.node(id).current.at(-1);
  }

  /** Node IDs whose process is running. */
  running(): number[] {
    return this.nodes.filter((n) => n.process !== null).map((n) => n.id);
  }

  /** The leader all of `ids` agree on right now, or null. */
  agreed(ids: number[] = this.running()): number | null {
    const leaders = ids.map((id) => this.latest(id)?.leader ?? null);
    const first = leaders[0];
    return first !== null && first !== undefined && leaders.every((l) => l === first) ? first : null;
  }

  async waitFor(what: string, condition: () => boolean, timeoutMs: number): Promise<number> {
    const started = Date.now();
    while (!condition()) {
      if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${this.describe()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return Date.now() - started;
  }

  note(action: string): void {
    this.log.push({ ts: Date.now(), action });
  }

  /** What every node last said, for failure messages. */
  describe(): string {
    return this.nodes
      .map((n) => {
        const e = n.current.at(-1);
        const state = e === undefined ? 'no events' : `${e.role} t${e.term} leader ${e.leader} quorum ${e.quorum.have}/${e.quorum.need} (${e.event})`;
        return `  n${n.id} ${n.process === null ? 'down' : 'up'}: ${state}${n.stderr ? `\n    stderr: ${n.stderr.trim().split('\n').slice(-3).join('\n    ')}` : ''}`;
      })
      .join('\n');
  }

  /** Kills what this lab started and deletes its namespaces and files. */
  destroy(): void {
    for (const node of this.nodes) {
      if (node.process?.pid !== undefined) tryKill(node.process.pid, 'SIGKILL');
    }
    for (const ns of this.mode === 'netns' ? [...this.nodes.map((n) => n.ns), this.switchNs, ...this.extraNamespaces] : []) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
      } catch {
        // not created
      }
      LIVE_NAMESPACES.delete(ns);
    }
    // A node killed a moment ago may still be writing its state file: retry a busy directory.
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  }

  /** Adds a namespace with its own address on the switch, for a test host that injects datagrams. */
  addHost(suffix: string, hostId: number): { ns: string; ip: string } {
    const ns = `${this.name}-${suffix}`;
    this.attach(ns, `${this.name.slice(0, 8)}h${hostId}`, `${this.subnet}.${hostId}`);
    return { ns, ip: `${this.subnet}.${hostId}` };
  }

  protected build(): void {
    if (this.mode === 'loopback') return;
    this.addSwitch(this.switchNs);
    for (const node of this.nodes) this.attach(node.ns, `${this.name.slice(0, 8)}p${node.id}`, node.ip);
  }

  /** A namespace with a bridge (multicast snooping off, so every port hears the group). */
  protected addSwitch(ns: string): void {
    this.addNamespace(ns);
    this.exec(ns, ['ip', 'link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0']);
    this.exec(ns, ['ip', 'link', 'set', 'br0', 'up']);
  }

  /** Namespace `ns` gets an eth0 with `ip`/24, cabled to a port of the switch in `switchNs`. */
  protected attach(ns: string, port: string, ip: string, switchNs = this.switchNs, iface = 'eth0'): void {
    if (!LIVE_NAMESPACES.has(ns)) this.addNamespace(ns);
    execFileSync('ip', ['link', 'add', iface, 'netns', ns, 'type', 'veth', 'peer', 'name', port, 'netns', switchNs]);
    this.exec(ns, ['ip', 'addr', 'add', `${ip}/24`, 'dev', iface]);
    this.exec(ns, ['ip', 'link', 'set', iface, 'up']);
    if (iface === 'eth0') this.exec(ns, ['ip', 'route', 'add', '224.0.0.0/4', 'dev', 'eth0']);
    this.exec(switchNs, ['ip', 'link', 'set', port, 'master', 'br0']);
    this.exec(switchNs, ['ip', 'link', 'set', port, 'up']);
  }

  protected addNamespace(ns: string): void {
    execFileSync('ip', ['netns', 'add', ns]);
    LIVE_NAMESPACES.add(ns);
    this.exec(ns, ['ip', 'link', 'set', 'lo', 'up']);
  }

  /** Replaces node `id`'s input filter with `rules`. */
  private rules(id: number, rules: string[]): void {
    const script = ['flush ruleset', 'table inet lab {', '  chain input {', '    type filter hook input priority 0; policy accept;', ...rules.map((r) => `    ${r}`), '  }', '}'].join('\n');
    this.exec(this.node(id).ns, ['nft', '-f', '-'], script);
  }
}

function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
