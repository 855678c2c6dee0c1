/** npm start's launcher, with a quit bound short enough for a test to wait for. */
import { launch } from '../../../src/desktop/launcher.ts';

launch({ argv: process.argv.slice(2), env: process.env, quitTimeoutMs: 500 }).then((status) => process.exit(status));
