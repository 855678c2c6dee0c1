/**
 * The benchmark's results as a Markdown page and an SVG plot of the failover time distributions
 * (empirical CDFs, one line per system and scenario).
 */
import { summarize, type Summary } from './measure.ts';
import type { Load, SplitBrain, Trial } from './scenarios.ts';
import type { StormResult } from '../storm-run.ts';
import type { System } from './systems.ts';

export interface Results {
  date: string;
  machine: string;
  trials: number;
  systems: Array<Pick<System, 'key' | 'name' | 'heartbeatMs' | 'timeoutMs' | 'config'>>;
  /** system key → "kill N=5" etc. → trials */
  failover: Record<string, Record<string, Trial[]>>;
  coldStart: Record<string, Record<string, number[]>>;
  /** Per cold start above: when the last process printed its first line (start-up alone). */
  coldStartup?: Record<string, Record<string, number[]>>;
  load: Record<string, Record<string, Load>>;
  splitBrain: Record<string, SplitBrain[]>;
  /** system key → nodes → boot storm runs (../storm-run.ts), each held `holdS` once agreed. */
  storm?: Record<string, Record<string, Array<StormResult & { holdS: number }>>>;
  /** Measurements that could not finish, and why. */
  failures?: string[];
  durationS: number;
}

const ms = (value: number | undefined): string => (value === undefined ? '–' : `${Math.round(value)}`);
const fixed = (value: number, digits = 1): string => value.toFixed(digits);

function row(cells: Array<string | number>): string {
  return `| ${cells.join(' | ')} |`;
}

export function markdown(results: Results, plotFile: string): string {
  const out: string[] = [];
  const conclave = results.systems.find((s) => s.key === 'conclave');
  out.push(`# Conclave and node-discover, side by side (${results.date})`, '');
  const scenarios = [...new Set(Object.values(results.failover).flatMap((byScenario) => Object.keys(byScenario)))];
  const trials = scenarios.length > 0 ? ` ${results.trials} trials per failover row;` : '';
  out.push(`${results.machine}. Every node in a network namespace of its own on one bridge;${trials} the whole run took ${Math.round(results.durationS / 60)} min.`, '');
  out.push('| System | Heartbeat | Timeout | Configuration |', '|---|---:|---:|---|');
  for (const s of results.systems) out.push(row([s.name, `${s.heartbeatMs} ms`, `${s.timeoutMs} ms`, s.config]));
  out.push('');

  // A run of some sections only: the others have no heading.
  if (scenarios.length > 0) {
    out.push('## Failover', '');
    out.push('From the action on the leader to every survivor naming one new leader that says it leads, from the nodes\' own event timestamps. "Two leaders" is the time, summed over the trials, during which two nodes both acted as leader, from the action until the cluster settled again. Ratio: Conclave\'s p50 / this system\'s p50.', '');
    out.push('| Scenario | System | p50 ms | p99 ms | max ms | min ms | ratio p50 | two leaders (total ms) |', '|---|---|---:|---:|---:|---:|---:|---:|');
    for (const scenario of scenarios) {
      const conclaveSummary = summarize((results.failover.conclave?.[scenario] ?? []).map((t) => t.failoverMs));
      for (const s of results.systems) {
        const trials = results.failover[s.key]?.[scenario];
        if (trials === undefined) continue;
        const summary = summarize(trials.map((t) => t.failoverMs));
        const ratio = s.key === 'conclave' || summary === null || conclaveSummary === null ? '' : fixed(conclaveSummary.p50 / summary.p50, 2);
        const dual = trials.reduce((sum, t) => sum + t.dualLeaderMs, 0);
        out.push(row([scenario, s.name, ms(summary?.p50), ms(summary?.p99), ms(summary?.max), ms(summary?.min), ratio, ms(dual)]));
      }
    }
    out.push('', `![Failover time distributions](${plotFile})`, '');
  }

  if (Object.keys(results.coldStart).length > 0) {
    out.push('## Cold start', '', 'From starting every process to the first leader all of them agree on. Start-up: until the last process printed its first line (spawning, loading, binding); election: from then on, per trial.', '');
    out.push('| Nodes | System | trials | p50 ms | max ms | start-up p50 ms | election p50 ms |', '|---:|---|---:|---:|---:|---:|---:|');
    for (const s of results.systems) {
      for (const [size, values] of Object.entries(results.coldStart[s.key] ?? {})) {
        const summary = summarize(values);
        const startups = results.coldStartup?.[s.key]?.[size];
        const startup = startups === undefined ? null : summarize(startups);
        const election = startups === undefined ? null : summarize(values.map((total, i) => total - (startups[i] ?? 0)));
        out.push(row([size, s.name, values.length, ms(summary?.p50), ms(summary?.max), ms(startup?.p50), ms(election?.p50)]));
      }
    }
    out.push('');
  }

  if (Object.keys(results.load).length > 0) {
    const warmups = [...new Set(results.systems.flatMap((s) => Object.values(results.load[s.key] ?? {}).map((l) => l.warmupS ?? 2)))];
    out.push('## Load per node', '', `A settled cluster over 10 s from ${warmups.join(' or ')} s after it settled, averaged over the nodes. Datagrams and bytes are counted on each node's link (Ethernet, IP and UDP headers included); CPU is % of one core (user + system); RSS is the node process's resident memory.`, '');
    out.push('| Nodes | System | datagrams sent/s | received/s | bytes sent/s | bytes received/s | CPU % (mean / max) | RSS MiB |', '|---:|---|---:|---:|---:|---:|---:|---:|');
    for (const s of results.systems) {
      for (const [size, l] of Object.entries(results.load[s.key] ?? {})) {
        out.push(row([l.settled === false ? `${size} (never settled)` : size, s.name, fixed(l.datagramsSentPerS), fixed(l.datagramsReceivedPerS), Math.round(l.bytesSentPerS), Math.round(l.bytesReceivedPerS), `${fixed(l.cpuPercent, 2)} / ${fixed(l.cpuPercentMax, 2)}`, fixed(l.rssMiB)]));
      }
    }
    out.push('');
  }

  if (results.storm !== undefined) {
    out.push('## Boot storm', '', 'Every node started at once, each at its defaults with a key (issue 22). Agreed: every node names the highest ID, which says it leads, measured from when the last process printed its first line; then held for the hold time. Send rate: each node\'s busiest 10-s window against its own settled rate (its kernel\'s UDP OutDatagrams). SndbufErrors: sends the kernels refused once settled.', '');
    out.push('| Nodes | System | runs agreed and held | agreed after (s, each run) | held (s) | worst window / settled rate | SndbufErrors after settling |', '|---:|---|---:|---|---:|---:|---|');
    for (const s of results.systems) {
      for (const [size, runs] of Object.entries(results.storm[s.key] ?? {})) {
        const held = runs.filter((r) => r.agreedAfterMs !== null && r.disagreements === 0).length;
        const after = runs.map((r) => (r.agreedAfterMs === null ? 'never' : fixed(r.agreedAfterMs / 1000))).join(', ');
        const worst = Math.max(...runs.map((r) => r.worstMultiple));
        out.push(row([size, s.name, `${held} of ${runs.length}`, after, runs[0]?.holdS ?? '–', `${fixed(worst)}×`, runs.map((r) => r.sndbufAfterSettling).join(', ')]));
      }
    }
    out.push('');
  }

  if (Object.keys(results.splitBrain).length > 0) {
    out.push('## Split brain', '', 'Five nodes; the leader and one other cut off from the other three for the hold time, then healed. Two leaders: the time during which two nodes both acted as leader.', '');
    out.push('| System | trials | two leaders during the partition (ms, each trial) | after healing (ms) | small side had a leader | big side elected after (ms) |', '|---|---:|---|---|---|---|');
    for (const s of results.systems) {
      const trials = results.splitBrain[s.key];
      if (trials === undefined) continue;
      out.push(
        row([
          s.name,
          trials.length,
          trials.map((t) => ms(t.duringMs)).join(', '),
          trials.map((t) => ms(t.afterHealMs)).join(', '),
          trials.map((t) => (t.minorityLed ? 'yes' : 'no')).join(', '),
          trials.map((t) => (t.majorityFailoverMs === null ? '–' : ms(t.majorityFailoverMs))).join(', '),
        ]),
      );
    }
    out.push('');
  
  }

  if (conclave !== undefined) out.push(goals(results, conclave.timeoutMs), '');
  if (results.failures !== undefined && results.failures.length > 0) out.push('## Not measured', '', ...results.failures.map((f) => `- ${f}`), '');
  return out.join('\n');
}

/** Issue 14's goals (lean protocol), each against what this run measured. */
function goals(results: Results, timeoutMs: number): string {
  const lines = ['## Against the goals', '', '| Goal | Measured | Met |', '|---|---|---|'];
  const verdict = (met: boolean): string => (met ? 'yes' : 'no');
  for (const [scenario, trials] of Object.entries(results.failover.conclave ?? {})) {
    const summary = summarize(trials.map((t) => t.failoverMs))!;
    if (scenario.startsWith('kill') || scenario.startsWith('unplug')) {
      lines.push(row([`${scenario}: p99 ≤ timeout + 50 = ${timeoutMs + 50} ms`, `${summary.p99} ms`, verdict(summary.p99 <= timeoutMs + 50)]));
    }
    if (scenario === 'handover N=5') lines.push(row([`${scenario}: p99 ≤ 20 ms`, `${summary.p99} ms`, verdict(summary.p99 <= 20)]));
  }
  const unsettled = 'not measured: the cluster never settled on this machine';
  const load = (system: string, size: string): Load | undefined => results.load[system]?.[size];
  const conclave25 = load('conclave', '25');
  const same25 = load('node-discover-same', '25');
  const defaults25 = load('node-discover-defaults', '25');
  if (conclave25 !== undefined && same25 !== undefined) {
    const goal = 'N = 25: CPU per node ≤ ½ node-discover\'s at the same timings';
    if (conclave25.settled === false) lines.push(row([goal, unsettled, '–']));
    else lines.push(row([goal, `${fixed(conclave25.cpuPercent, 2)} % vs ${fixed(same25.cpuPercent, 2)} %`, verdict(conclave25.cpuPercent <= same25.cpuPercent / 2)]));
  }
  if (conclave25 !== undefined && defaults25 !== undefined && conclave25.settled !== false) {
    lines.push(row(['N = 25: bytes received per node ≤ node-discover\'s at its defaults', `${Math.round(conclave25.bytesReceivedPerS)} B/s vs ${Math.round(defaults25.bytesReceivedPerS)} B/s`, verdict(conclave25.bytesReceivedPerS <= defaults25.bytesReceivedPerS)]));
  }
  const cold25 = results.coldStart.conclave?.['25'];
  if (cold25 !== undefined && cold25.length > 0) {
    const p50 = summarize(cold25)!.p50;
    lines.push(row(['N = 25: cold start to an agreed leader ≤ 1 s, from spawning the processes', `p50 ${p50} ms`, verdict(p50 <= 1000)]));
    const startups = results.coldStartup?.conclave?.['25'];
    if (startups !== undefined) {
      const election = summarize(cold25.map((total, i) => total - (startups[i] ?? 0)))!.p50;
      lines.push(row(['… of which start-up (the last process up) / the election after it', `p50 ${summarize(startups)!.p50} ms / ${election} ms`, '–']));
    }
  }
  lines.push(...issue22Rows(results));
  const conclave50 = load('conclave', '50');
  if (conclave50 !== undefined) lines.push(row(['N = 50 settles on this machine', conclave50.settled === false ? 'no agreed leader' : 'settled', verdict(conclave50.settled !== false)]));
  const dual =
    Object.values(results.failover.conclave ?? {}).flat().reduce((sum, t) => sum + t.dualLeaderMs, 0) +
    (results.splitBrain.conclave ?? []).reduce((sum, t) => sum + t.duringMs + t.afterHealMs, 0);
  lines.push(row(['Conclave: zero time with two leaders, every scenario', `${dual} ms`, verdict(dual === 0)]));
  return lines.join('\n');
}

/**
 * Issue 22's goals at 25 nodes, for each form of Conclave measured (the checkout's command, the
 * single executable) against node-discover under each Node it ran on: CPU per settled node at or
 * below node-discover's at its defaults, cold start at or below node-discover's at the same timings.
 */
function issue22Rows(results: Results): string[] {
  const rows: string[] = [];
  const verdict = (met: boolean): string => (met ? 'yes' : 'no');
  const name = (key: string): string => results.systems.find((s) => s.key === key)?.name ?? key;
  for (const conclave of ['conclave', 'conclave-executable']) {
    for (const runtime of ['', '-node26']) {
      const mine = results.load[conclave]?.['25'];
      const theirs = results.load[`node-discover-defaults${runtime}`]?.['25'];
      if (mine !== undefined && theirs !== undefined && mine.settled !== false) {
        rows.push(row([`N = 25: CPU per node, ${name(conclave)} ≤ ${name(`node-discover-defaults${runtime}`)}`, `${fixed(mine.cpuPercent, 2)} % vs ${fixed(theirs.cpuPercent, 2)} %`, verdict(mine.cpuPercent <= theirs.cpuPercent)]));
      }
      const myCold = summarize(results.coldStart[conclave]?.['25'] ?? []);
      const theirCold = summarize(results.coldStart[`node-discover-same${runtime}`]?.['25'] ?? []);
      if (myCold !== null && theirCold !== null) {
        rows.push(row([`N = 25: cold start p50, ${name(conclave)} ≤ ${name(`node-discover-same${runtime}`)}`, `${myCold.p50} ms vs ${theirCold.p50} ms`, verdict(myCold.p50 <= theirCold.p50)]));
      }
    }
  }
  return rows;
}

/** One colour per system; the dash says the scenario, the width the cluster size. */
const SYSTEM_COLORS: Record<string, string> = { conclave: '#1f6feb', 'conclave-executable': '#0a7f6f', 'node-discover-same': '#d4600a', 'node-discover-defaults': '#8250df' };
const DASHES: Record<string, string> = { kill: '', unplug: ' stroke-dasharray="7 4"', handover: ' stroke-dasharray="2 3"' };

/** Empirical CDFs of failover times, log-scaled x axis, as a standalone SVG. */
export function cdfSvg(results: Results): string {
  const series: Array<{ label: string; values: number[]; color: string; dash: string; width: number }> = [];
  for (const s of results.systems) {
    for (const [scenario, trials] of Object.entries(results.failover[s.key] ?? {})) {
      const [kind = '', size = ''] = scenario.split(' ');
      series.push({
        label: `${s.name} · ${scenario}`,
        values: trials.map((t) => Math.max(1, t.failoverMs)).sort((a, b) => a - b),
        color: SYSTEM_COLORS[s.key] ?? '#444',
        dash: DASHES[kind] ?? '',
        width: size === 'N=5' ? 1.5 : 3,
      });
    }
  }
  const width = 900;
  const plotHeight = 380;
  const left = 60;
  const top = 30;
  const plotWidth = width - left - 20;
  const legendTop = top + plotHeight + 70;
  const height = legendTop + Math.ceil(series.length / 2) * 20 + 10;
  const all = series.flatMap((s) => s.values);
  const minX = Math.pow(10, Math.floor(Math.log10(Math.min(...all, 10))));
  const maxX = Math.pow(10, Math.ceil(Math.log10(Math.max(...all, 100))));
  const x = (v: number): number => left + ((Math.log10(v) - Math.log10(minX)) / (Math.log10(maxX) - Math.log10(minX))) * plotWidth;
  const y = (p: number): number => top + (1 - p) * plotHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="18" font-size="14" font-weight="bold">Failover time, empirical CDF (${results.date})</text>`,
  ];
  for (let decade = minX; decade <= maxX; decade *= 10) {
    for (const m of [1, 2, 5]) {
      const v = decade * m;
      if (v > maxX) break;
      parts.push(`<line x1="${x(v)}" y1="${top}" x2="${x(v)}" y2="${top + plotHeight}" stroke="#ddd"/>`, `<text x="${x(v)}" y="${top + plotHeight + 16}" text-anchor="middle" fill="#444">${v >= 1000 ? `${v / 1000} s` : `${v} ms`}</text>`);
    }
  }
  for (const p of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${left}" y1="${y(p)}" x2="${left + plotWidth}" y2="${y(p)}" stroke="#eee"/>`, `<text x="${left - 6}" y="${y(p) + 4}" text-anchor="end" fill="#444">${p * 100}%</text>`);
  }
  parts.push(
    `<text x="${left + plotWidth / 2}" y="${top + plotHeight + 34}" text-anchor="middle" fill="#222">time from the action to a new agreed leader (log scale)</text>`,
    `<text x="${left}" y="${top + plotHeight + 54}" fill="#444">colour: the system; solid: kill -9, dashed: unplug, dotted: graceful handover; thin: 5 nodes, thick: 25</text>`,
  );
  series.forEach((s, index) => {
    const points: string[] = [];
    s.values.forEach((v, i) => {
      points.push(`${x(v).toFixed(1)},${y(i / s.values.length).toFixed(1)}`, `${x(v).toFixed(1)},${y((i + 1) / s.values.length).toFixed(1)}`);
    });
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="${s.width}"${s.dash} points="${points.join(' ')}"/>`);
    const lx = left + (index % 2) * (plotWidth / 2);
    const ly = legendTop + Math.floor(index / 2) * 20;
    parts.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 28}" y2="${ly - 4}" stroke="${s.color}" stroke-width="${s.width}"${s.dash}/>`, `<text x="${lx + 34}" y="${ly}">${escapeXml(s.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export type { Summary };
