#!/usr/bin/env node
// The installed command: runs the compiled CLI, bundled for a faster start (npm ci builds dist/;
// scripts/build.mjs says why).
import '../dist/cli-bundle/main.js';
