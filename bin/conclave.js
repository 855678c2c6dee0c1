#!/usr/bin/env node
// The installed command: runs the compiled CLI (npm ci builds dist/).
import '../dist/cli/main.js';
