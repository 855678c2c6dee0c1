import { parseArgs } from 'node:util';
import type { ConfigError, NodeId } from '../core/index.ts';
import { parseKeys, readKeyFile } from '../net/keys.ts';
import type { MetricsListenError } from '../metrics/listen-error.ts';
import type { NodeOptions } from '../runtime/options.ts';
import type { DataDirError } from '../runtime/state-file.ts';
import type { KeyRing } from '../wire/seal.ts';
import type { OptionError } from '../contract/errors.ts';
import { ConclaveError, ConclaveErrorCode, isConclaveError } from '../errors/conclave-error.ts';
import { MULTICAST_BINDS, type MulticastBind } from '../net/multicast-socket-plan.ts';
import { withClusterFile, type ClusterFileUse } from './cluster-file-flags.ts';
import { thisMachine, type Machine } from './voter-hosts.ts';
import { FLAG_NEEDS, LAN_ONLY_FLAGS, RUN_FLAGS, rangeOf } from './run-flags.ts';
import { runUsage } from './run-usage.ts';
import { flagOf, namingTheFlag } from './option-flags.ts';
import { DEFAULT_RUN_SETTINGS, type TableOptionName } from './option-table.ts';

export const RUN_USAGE = runUsage();

export class UsageError extends ConclaveError {
  override readonly name = 'UsageError';
  readonly code = ConclaveErrorCode.Usage;
}

export interface RunSettings {
  node: NodeOptions;
  json: boolean;
  onElected: string | undefined;
  onDemoted: string | undefined;
  hookTimeoutMs: number;
  keyWarning: string | null;
  dashboard: DashboardSettings | null;
  /** The cluster file the node was started from, if any. */
  clusterFile: ClusterFileUse | null;
}

export interface DashboardSettings {
  port: number;
  host: string;
  controls: boolean;
  /** Listen on this Unix socket instead of `host`:`port` (requests are still checked against them). */
  socketPath?: string;
}

export { RUN_FLAGS };

/**
 * Parses `conclave run` flags; throws UsageError naming the bad flag. Returns null for --help.
 * `machine`: what a cluster file's hosts are matched against (tests give their own).
 */
export function parseRunFlags(args: string[], env: NodeJS.ProcessEnv, machine: () => Machine = thisMachine): RunSettings | null {
  let values;
  try {
    ({ values } = parseArgs({ args, options: RUN_FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return null;
  let clusterFile: ClusterFileUse | null;
  try {
    if (values.id !== undefined) option('id', values.id);
    ({ values, use: clusterFile } = withClusterFile(values, env, machine));
  } catch (error) {
    if (isConclaveError(error, ConclaveErrorCode.ClusterFile)) throw new UsageError(error.message, { cause: error });
    throw error;
  }
  const voters = values.voters === undefined ? undefined : idList(values.voters);
  if (values.id === undefined) throw new UsageError('--id is required: this node\'s ID, one of the voters (or --cluster-file, where it is found by host name)');
  if (values.backend !== undefined) {
    const unused = LAN_ONLY_FLAGS.find((flag) => values[flag] !== undefined);
    if (unused !== undefined) throw new UsageError(`--${unused} has no effect with --backend (the node elects through ZooKeeper, not the LAN)`);
  }
  const clusterSize = option('clusterSize', values['cluster-size']) ?? voters?.length ?? (values.backend === undefined ? undefined : 1);
  if (clusterSize === undefined) {
    throw new UsageError('--cluster-size is required: the number of voters (the quorum is a majority of it)');
  }
  if (voters !== undefined && voters.length !== clusterSize) {
    throw new UsageError(`--voters lists ${voters.length} IDs but --cluster-size is ${clusterSize}`);
  }
  for (const { flag, needs } of FLAG_NEEDS) {
    if (values[flag] !== undefined && values[needs] === undefined) throw new UsageError(`--${flag} needs --${needs}`);
  }
  const { keys, warning } = loadKeys(values['key-file'], env.CONCLAVE_KEY);
  const node: NodeOptions = {
    id: option('id', values.id)!,
    clusterSize,
    ...(voters === undefined ? {} : { voters }),
    ...(values.cluster === undefined ? {} : { cluster: values.cluster }),
    ...(values.backend === undefined ? {} : { backend: values.backend }),
    ...(values.group === undefined ? {} : { group: values.group }),
    ...(values.port === undefined ? {} : { port: option('port', values.port)! }),
    ...(values.interface === undefined ? {} : { interface: values.interface }),
    ...(values.seeds === undefined ? {} : { seeds: values.seeds }),
    ...(values['unicast-port'] === undefined ? {} : { unicastPort: option('unicastPort', values['unicast-port'])! }),
    ...(values['no-multicast'] ? { multicast: false } : {}),
    ...(values['bind-multicast'] === undefined ? {} : { multicastBind: multicastBind(values['bind-multicast'], values['no-multicast'] ?? false) }),
    keys,
    ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
    acceptNewVoters: values['accept-new-voters'] ?? false,
    heartbeatMs: option('heartbeatMs', values['heartbeat-ms']),
    memberBeatMs: option('memberBeatMs', values['member-beat-ms']),
    timeoutMs: option('timeoutMs', values['timeout-ms']),
    leaseMs: option('leaseMs', values['lease-ms']),
    dampingMs: option('dampingMs', values['damping-ms']),
    preempt: !(values['no-preempt'] ?? false),
    ...(values['metrics-port'] === undefined ? {} : { metricsPort: option('metricsPort', values['metrics-port'])! }),
    ...(values['metrics-host'] === undefined ? {} : { metricsHost: values['metrics-host'] }),
    ...(clusterFile === null ? {} : { agreedDescription: clusterFile.file.canonical }),
  };
  return {
    node,
    json: values.json ?? false,
    onElected: values['on-elected'],
    onDemoted: values['on-demoted'],
    hookTimeoutMs: option('hookTimeoutMs', values['hook-timeout-ms']) ?? DEFAULT_RUN_SETTINGS.hookTimeoutMs,
    keyWarning: warning,
    dashboard:
      values['dashboard-port'] === undefined
        ? null
        : {
            port: option('dashboardPort', values['dashboard-port'])!,
            host: values['dashboard-host'] ?? DEFAULT_RUN_SETTINGS.dashboardHost,
            controls: values['dashboard-controls'] ?? false,
            ...(values['dashboard-socket'] === undefined ? {} : { socketPath: values['dashboard-socket'] }),
          },
    clusterFile,
  };
}

/**
 * Turns a start-up error into a usage error naming the flag, by its code: an option that failed
 * validation, a metrics endpoint that cannot listen where the flags say, a data directory given
 * that cannot be used; the original is the cause. `given`: the node options the flags made (a
 * default data directory is no flag's fault).
 */
export function asUsageError(error: unknown, given?: NodeOptions): UsageError | null {
  if (!isConclaveError(error)) return null;
  // The code names the class (docs/errors.md): the switch below narrows to it.
  const flagged = error as UsageError | MetricsListenError | DataDirError | ConfigError | OptionError;
  switch (flagged.code) {
    case ConclaveErrorCode.Usage:
      return flagged;
    case ConclaveErrorCode.MetricsListen:
      return new UsageError(metricsListenProblem(flagged), { cause: flagged });
    case ConclaveErrorCode.DataDir:
      return given?.dataDir === undefined ? null : new UsageError(`${flagOf('dataDir')} ${flagged.message}`, { cause: flagged });
    case ConclaveErrorCode.Config:
    case ConclaveErrorCode.Option:
      return new UsageError(namingTheFlag(flagged), { cause: flagged });
    default:
      return null;
  }
}

function metricsListenProblem({ systemCode, host, port, message }: MetricsListenError): string {
  const [portFlag, hostFlag] = [flagOf('metricsPort'), flagOf('metricsHost')];
  switch (systemCode) {
    case 'EADDRINUSE':
      return `${portFlag} ${port}: the port is in use on ${host}`;
    case 'EACCES':
      return `${portFlag} ${port}: not allowed to listen there`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${hostFlag} ${host}: not an address of this machine`;
    default:
      return `${portFlag}/${hostFlag}: ${message}`;
  }
}

/** An integer option's flag value, checked against the range the option table gives it. */
export function option(name: TableOptionName, value: string | undefined): number | undefined {
  const { flag, min, max } = rangeOf(name);
  return integer(flag, value, min, max);
}

export function integer(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

function multicastBind(value: string, noMulticast: boolean): MulticastBind {
  if (noMulticast) throw new UsageError('--bind-multicast has no effect with --no-multicast');
  if (!(MULTICAST_BINDS as readonly string[]).includes(value)) throw new UsageError(`--bind-multicast must be ${MULTICAST_BINDS.join(' or ')}, got "${value}"`);
  return value as MulticastBind;
}

function idList(value: string): NodeId[] {
  const ids = value.split(',').map((part) => option('voters', part.trim())!);
  if (new Set(ids).size !== ids.length) throw new UsageError(`--voters lists an ID twice: ${value}`);
  return ids;
}

export function loadKeys(keyFile: string | undefined, envKey: string | undefined): { keys: KeyRing | null; warning: string | null } {
  try {
    if (keyFile !== undefined) {
      const { ring, warning } = readKeyFile(keyFile);
      return { keys: ring, warning };
    }
    if (envKey !== undefined && envKey !== '') return { keys: parseKeys(envKey, 'CONCLAVE_KEY'), warning: null };
    return { keys: null, warning: null };
  } catch (error) {
    if (isConclaveError(error, ConclaveErrorCode.Key)) throw new UsageError(`${keyFile === undefined ? '' : '--key-file '}${error.message}`, { cause: error });
    throw error;
  }
}
