/**
 * What conclave/testing throws, by code: a wait that ran out (the test's own assertion, in
 * effect: no leader or no agreement came) is told apart from a cluster used as it cannot be.
 */
import { ConclaveError, ConclaveErrorCode } from '../errors/conclave-error.ts';

/** No leader, or no agreement, within the wait's time; the message has one line per node. */
export class TestTimeoutError extends ConclaveError {
  override readonly name = 'TestTimeoutError';
  readonly code = ConclaveErrorCode.TestTimeout;
}

/** The cluster was closed, the node ID is not one of its own, or the size is not allowed. */
export class TestClusterError extends ConclaveError {
  override readonly name = 'TestClusterError';
  readonly code = ConclaveErrorCode.TestCluster;
}
