import { ConclaveError, ConclaveErrorCode } from '../errors/conclave-error.ts';

/** The metrics endpoint could not listen: the port is taken, or the host is not this machine's. */
export class MetricsListenError extends ConclaveError {
  override readonly name = 'MetricsListenError';
  readonly code = ConclaveErrorCode.MetricsListen;
  /** The system's error code: EADDRINUSE, EADDRNOTAVAIL, EACCES, ENOTFOUND, … (`code` is Conclave's). */
  readonly systemCode: string | undefined;
  readonly host: string;
  readonly port: number;
  constructor(host: string, port: number, cause: NodeJS.ErrnoException) {
    super(`metrics endpoint ${host}:${port}: ${cause.message}`, { cause });
    this.systemCode = cause.code;
    this.host = host;
    this.port = port;
  }
}
