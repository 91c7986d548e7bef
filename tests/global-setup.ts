// Some integration tests start the built app as a process (outages, shutdown): build it once first.
import { buildIfStale } from '../scripts/build-if-stale.js';

export default function setup() {
	buildIfStale();
}
