// Loaded with `node --import`: appends every module the process resolves to MODULE_LOG, one URL a
// line. For tests that check what a command loads (and so what its start-up costs).
import { register } from 'node:module';

register(new URL('./module-log-hooks.mjs', import.meta.url), { data: { file: process.env.MODULE_LOG } });
