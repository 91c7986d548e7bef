// `npm start`: build if the sources are newer than the build, then serve with demo-friendly defaults.
// Migrations, demo seeding and the mail worker run in the server's init hook.
import fs from 'node:fs';
import path from 'node:path';
import { buildIfStale } from './build-if-stale.js';

const root = path.resolve(import.meta.dirname, '..');
const builtEntry = buildIfStale();

if (fs.existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'));
process.env.PORT ??= '3000';
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
// Above adapter-node's 512K default, so an oversized club logo (limit 500 kB) gets the app's own
// clear message instead of a bare 413.
process.env.BODY_SIZE_LIMIT ??= '2M';
console.log(`[start] serving on ${process.env.ORIGIN}`);
await import(builtEntry);
