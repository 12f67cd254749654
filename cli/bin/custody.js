#!/usr/bin/env node
// The custody command. The code is in ../dist (built by `tsc -b` from ../src).
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
