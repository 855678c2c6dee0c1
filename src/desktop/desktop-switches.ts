/**
 * Switches meant for Electron (Chromium), not for the node: `npm start -- --id 3 --no-sandbox`.
 * The launcher passes them to Electron and drops them when it falls back to the headless node;
 * the app removes them before parsing its flags, since Chromium leaves them in process.argv.
 * A short, known list: any other unknown flag stays an error that names it (exit 2).
 */
const SWITCHES = ['--no-sandbox', '--disable-gpu', '--enable-logging'] as const;
/** Switches with a value, accepted only as `--name=value` (Chromium's own form). */
const VALUED_SWITCHES = ['--ozone-platform', '--ozone-platform-hint', '--enable-features', '--disable-features'] as const;

function isDesktopSwitch(arg: string): boolean {
  if ((SWITCHES as readonly string[]).includes(arg)) return true;
  const equals = arg.indexOf('=');
  return equals > 0 && (VALUED_SWITCHES as readonly string[]).includes(arg.slice(0, equals));
}

/** Splits the command line into Electron's switches and the node's flags, each in order. */
export function splitDesktopSwitches(args: readonly string[]): { switches: string[]; flags: string[] } {
  const switches: string[] = [];
  const flags: string[] = [];
  for (const arg of args) (isDesktopSwitch(arg) ? switches : flags).push(arg);
  return { switches, flags };
}
