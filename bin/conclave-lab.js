#!/usr/bin/env node
// The installed lab (`npm run demo` in a checkout): N nodes on this machine and the page to break them.
import '../dist/lab/cli.js';
