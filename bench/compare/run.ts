/**
 * `npm run bench`: Conclave and node-discover side by side, in the same run, on the same machine,
 * in the same kind of network namespaces. Prints every number as it is measured, then writes
 * bench/results/<date>.md (the tables), <date>.json (every trial) and <date>-failover-cdf.svg.
 * A benchmark: it reports; it does not pass or fail on timing. Needs root (namespaces, nftables).
 *
 *   npm run bench                        # everything: 30 trials, N = 5 and 25, load at 5, 25, 50,
 *                                        # and Conclave's boot storm of 50 (3 runs, held 60 s)
 *   npm run bench -- --quick             # a smoke run: 3 trials, N = 5, load at 5 (about 3 min)
 *   npm run bench -- --systems conclave --sections failover --trials 10
 *   npm run bench -- --systems conclave --sections load --load-sizes 50 --into bench/results/<date>.json
 *   npm run bench -- --report bench/results/<date>.json    # the page and plot again, measuring nothing
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { summarize } from './measure.ts';
import { cdfSvg, markdown, type Results } from './report.ts';
import { stormRun } from '../storm-run.ts';
import { wholeNumber } from '../flags.ts';
import { coldStart, createLab, failover, load, splitBrain, type FailoverKind } from './scenarios.ts';
import { ZkServer, zooKeeperMissing } from '../../test/zookeeper/zk-server.ts';
import { SYSTEMS, zooKeeperServer, type System } from './systems.ts';

const SECTIONS = ['failover', 'cold', 'load', 'split', 'storm'] as const;
const USAGE = `usage: npm run bench -- [--quick] [--trials <n>] [--sizes 5,25] [--load-sizes 5,25,50]
                       [--systems ${SYSTEMS.map((s) => s.key).join(',')}]
                       [--sections ${SECTIONS.join(',')}] [--storm-sizes 50] [--load-warmup-s 2] [--out <dir>] [--into <earlier.json>]
       npm run bench -- --report <results.json>`;

function fail(message: string, status = 2): never {
  process.stderr.write(`bench: ${message}\n${status === 2 ? `${USAGE}\n` : ''}`);
  process.exit(status);
}

function list(value: string, name: string): number[] {
  const items = value.split(',').map(Number);
  if (items.some((n) => !Number.isInteger(n) || n < 2 || n > 60)) fail(`--${name} takes sizes from 2 to 60, comma-separated; got "${value}"`);
  return items;
}

function options() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        trials: { type: 'string' },
        sizes: { type: 'string' },
        'load-sizes': { type: 'string' },
        'storm-sizes': { type: 'string' },
        'load-warmup-s': { type: 'string' },
        systems: { type: 'string' },
        sections: { type: 'string' },
        out: { type: 'string', default: new URL('../results/', import.meta.url).pathname },
        into: { type: 'string' },
        report: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.report !== undefined) {
    // Writes the page and the plot again from a run's JSON, measuring nothing.
    const results = JSON.parse(readFileSync(values.report, 'utf8')) as Results;
    writeReport(results, dirname(values.report));
    process.exit(0);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const trials = Number(values.trials ?? (values.quick ? 3 : 30));
  if (!Number.isInteger(trials) || trials < 1 || trials > 1000) fail(`--trials takes 1 to 1000; got "${values.trials}"`);
  const named = values.systems?.split(',').map((key) => SYSTEMS.find((s) => s.key === key) ?? fail(`--systems: no system "${key}"`));
  const unbuilt = (s: System): boolean => s.needs !== undefined && !existsSync(s.needs.file);
  for (const s of named ?? []) if (unbuilt(s)) fail(`--systems: ${s.key} needs ${s.needs!.file}, which is not built (${s.needs!.command})`, 1);
  // By default a system that needs a build runs when it is built, and says so when it is not.
  for (const s of named === undefined ? SYSTEMS.filter(unbuilt) : []) print(`bench: skipping ${s.key}: ${s.needs!.file} is not built (${s.needs!.command})`);
  const systems = named ?? SYSTEMS.filter((s) => !unbuilt(s));
  const sections = values.sections === undefined ? SECTIONS : values.sections.split(',').map((s) => (SECTIONS as readonly string[]).includes(s) ? (s as (typeof SECTIONS)[number]) : fail(`--sections: no section "${s}"`));
  return {
    trials,
    sizes: list(values.sizes ?? (values.quick ? '5' : '5,25'), 'sizes'),
    loadSizes: list(values['load-sizes'] ?? (values.quick ? '5' : '5,25,50'), 'load-sizes'),
    stormSizes: list(values['storm-sizes'] ?? (values.quick ? '10' : '50'), 'storm-sizes'),
    stormRuns: values.quick ? 1 : 3,
    stormHoldS: values.quick ? 10 : 60,
    coldTrials: values.quick ? 2 : 5,
    splitTrials: values.quick ? 1 : 3,
    holdMs: values.quick ? 4000 : 10_000,
    loadWindowMs: values.quick ? 4000 : 10_000,
    loadWarmupMs: wholeNumber('bench', 'load-warmup-s', values['load-warmup-s'] ?? '2', 0, 3600) * 1000,
    systems,
    sections: new Set(sections),
    out: values.out,
    /** An earlier run's JSON to add these measurements to (rerunning a piece of it). */
    into: values.into,
  };
}

function requirements(): void {
  if (process.getuid?.() !== 0) fail('needs root: every node gets a network namespace of its own (run as root, or in a VM)', 1);
  for (const [command, args] of [['ip', ['-V']], ['nft', ['--version']]] as const) {
    try {
      execFileSync(command, [...args], { stdio: 'ignore' });
    } catch {
      fail(`${command} is missing (apt-get install -y iproute2 nftables)`, 1);
    }
  }
}

const print = (line: string): void => void process.stdout.write(`${line}\n`);

async function failovers(system: System, size: number, trials: number, results: Results): Promise<void> {
  const kinds: readonly FailoverKind[] = system.kinds ?? (system.handover ? ['kill', 'unplug', 'handover'] : ['kill', 'unplug']);
  const lab = createLab(system, size);
  try {
    lab.startAll();
    for (const kind of kinds) {
      const scenario = `${kind} N=${size}`;
      const done: Results['failover'][string][string] = ((results.failover[system.key] ??= {})[scenario] = []);
      for (let trial = 0; trial < trials; trial++) done.push(await failover(lab, system, kind));
      const s = summarize(done.map((t) => t.failoverMs))!;
      const dual = done.reduce((sum, t) => sum + t.dualLeaderMs, 0);
      print(`  ${scenario.padEnd(17)} p50 ${s.p50} ms, p99 ${s.p99} ms, max ${s.max} ms, min ${s.min} ms; two leaders ${dual} ms in total`);
    }
  } finally {
    lab.destroy();
  }
}

async function main(): Promise<void> {
  const o = options();
  // Ctrl-C: exit through process.on('exit'), where the labs kill their nodes and delete their namespaces.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
  requirements();
  let zk: ZkServer | null = null;
  if (o.systems.some((s) => s.zookeeper)) {
    const missing = zooKeeperMissing();
    if (missing !== null) {
      print(`bench: leaving out the ZooKeeper row: ${missing}`);
      o.systems = o.systems.filter((s) => !s.zookeeper);
    } else {
      zk = await ZkServer.start({ tickMs: 200 });
      zooKeeperServer.address = `127.0.0.1:${zk.port}`;
      process.on('exit', () => zk?.destroy());
    }
  }
  const earlier = o.into === undefined ? null : (JSON.parse(readFileSync(o.into, 'utf8')) as Results);
  const startedMs = Date.now() - (earlier?.durationS ?? 0) * 1000;
  const date = earlier?.date ?? new Date().toISOString().slice(0, 10);
  // Systems new to an earlier run's results join its table.
  for (const { key, name, heartbeatMs, timeoutMs, config } of o.systems) {
    if (earlier !== null && !earlier.systems.some((s) => s.key === key)) earlier.systems.push({ key, name, heartbeatMs, timeoutMs, config });
  }
  const results: Results = earlier ?? {
    date,
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    trials: o.trials,
    systems: o.systems.map(({ key, name, heartbeatMs, timeoutMs, config }) => ({ key, name, heartbeatMs, timeoutMs, config })),
    failover: {},
    coldStart: {},
    load: {},
    splitBrain: {},
    durationS: 0,
  };
  mkdirSync(o.out, { recursive: true });
  const save = (): void => {
    results.durationS = (Date.now() - startedMs) / 1000;
    writeFileSync(join(o.out, `${date}.json`), `${JSON.stringify(results, null, 1)}\n`);
  };
  print(`bench: ${results.machine}; ${o.trials} trials; systems ${o.systems.map((s) => s.key).join(', ')}`);
  // One measurement that cannot finish (a system that never settles) is reported, and the rest run.
  const attempt = async (what: string, measure: () => Promise<void>): Promise<void> => {
    results.failures = (results.failures ?? []).filter((failure) => !failure.startsWith(`${what}:`));
    try {
      await measure();
    } catch (error) {
      const message = (error as Error).message.split('\n')[0]!;
      (results.failures ??= []).push(`${what}: ${message}`);
      print(`  ${what}: FAILED: ${message}`);
    }
    save();
  };
  for (const system of o.systems) {
    print(`\n${system.name} (${system.config})`);
    const applies = (section: (typeof SECTIONS)[number]): boolean => o.sections.has(section) && (system.sections?.includes(section) ?? true);
    if (applies('failover')) {
      for (const size of o.sizes) await attempt(`${system.key} failover N=${size}`, () => failovers(system, size, o.trials, results));
    }
    if (applies('cold')) {
      for (const size of o.sizes) {
        await attempt(`${system.key} cold start N=${size}`, async () => {
          const times: number[] = [];
          const startups: number[] = [];
          for (let trial = 0; trial < o.coldTrials; trial++) {
            const { totalMs, startupMs } = await coldStart(system, size);
            times.push(totalMs);
            startups.push(startupMs);
          }
          (results.coldStart[system.key] ??= {})[String(size)] = times;
          ((results.coldStartup ??= {})[system.key] ??= {})[String(size)] = startups;
          print(`  cold start N=${size}: ${times.join(', ')} ms; the last process up after ${startups.join(', ')} ms`);
        });
      }
    }
    if (applies('load')) {
      for (const size of o.loadSizes) {
        await attempt(`${system.key} load N=${size}`, async () => {
          const l = await load(system, size, o.loadWindowMs, o.loadWarmupMs);
          (results.load[system.key] ??= {})[String(size)] = l;
          print(
            `  load N=${size}: ${l.datagramsSentPerS.toFixed(1)} datagrams/s out, ${l.datagramsReceivedPerS.toFixed(1)} in; ${Math.round(l.bytesSentPerS)} B/s out, ${Math.round(l.bytesReceivedPerS)} B/s in; CPU ${l.cpuPercent.toFixed(2)} % (max ${l.cpuPercentMax.toFixed(2)} %); RSS ${l.rssMiB.toFixed(1)} MiB (from ${l.warmupS} s after settling)`,
          );
        });
      }
    }
    if (applies('split')) {
      await attempt(`${system.key} split brain`, async () => {
        const trials = [];
        for (let trial = 0; trial < o.splitTrials; trial++) trials.push(await splitBrain(system, o.holdMs));
        results.splitBrain[system.key] = trials;
        print(`  split brain 2|3 for ${o.holdMs / 1000} s: two leaders ${trials.map((t) => t.duringMs).join(', ')} ms during, ${trials.map((t) => t.afterHealMs).join(', ')} ms after healing`);
      });
    }
    // Issue 22's boot storm: the highest ID agreed on by every node, held, at a bounded send rate.
    if (applies('storm') && system.key === 'conclave') {
      for (const size of o.stormSizes) {
        await attempt(`${system.key} storm N=${size}`, async () => {
          const runs = [];
          for (let run = 0; run < o.stormRuns; run++) runs.push(await stormRun(size, o.stormHoldS, 0, []));
          ((results.storm ??= {})[system.key] ??= {})[String(size)] = runs.map((r) => ({ ...r, holdS: o.stormHoldS }));
        });
      }
    }
  }
  save();
  zk?.destroy();
  writeReport(results, o.out);
  print(`\nbench: ${Math.round(results.durationS)} s; wrote ${join(o.out, `${date}.md`)}, ${date}-failover-cdf.svg and ${date}.json`);
}

function writeReport(results: Results, dir: string): void {
  const plot = `${results.date}-failover-cdf.svg`;
  writeFileSync(join(dir, plot), cdfSvg(results));
  writeFileSync(join(dir, `${results.date}.md`), `${markdown(results, plot)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
