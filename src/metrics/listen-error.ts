/** The metrics endpoint could not listen: the port is taken, or the host is not this machine's. */
export class MetricsListenError extends Error {
  override readonly name = 'MetricsListenError';
  /** The system's error code: EADDRINUSE, EADDRNOTAVAIL, EACCES, ENOTFOUND, … */
  readonly code: string | undefined;
  readonly host: string;
  readonly port: number;
  constructor(host: string, port: number, cause: NodeJS.ErrnoException) {
    super(`metrics endpoint ${host}:${port}: ${cause.message}`, { cause });
    this.code = cause.code;
    this.host = host;
    this.port = port;
  }
}
