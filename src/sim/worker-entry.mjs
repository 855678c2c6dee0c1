// Node 20 workers do not inherit the TypeScript loader that --import registered in the main
// thread: register it here, then load the real worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
