#!/usr/bin/env bash
# Builds the container image and checks it the way an operator would run it, with no image registry:
#   1. base:  Debian trixie with mmdebstrap (minbase) from Debian's mirror, imported into podman
#             as localhost/debian:trixie-slim;
#   2. build: `podman build` of ./Containerfile on that base (storage driver vfs);
#   3. run:   the app (read-only root, data in a volume, /tmp on tmpfs, WORKER_ENABLED=false) and its
#             outbox worker as a second container of the same image; waits for the image's own
#             HEALTHCHECK, registers for a demo event over HTTP, finds the confirmation mail the
#             worker wrote, confirms, and checks the row in the database. Then the same against a
#             fresh database on the PostgreSQL at 127.0.0.1:5432, when one answers there.
# Runs as root on a Debian host (installs podman, runc and mmdebstrap if missing). Everything it
# creates lives in one temporary directory that is removed at the end, including the base tarball
# and podman's storage, so nothing is cached between runs and no host podman state is touched.
# Prints the seconds of each phase. Exit code 0 only if every check passed.
#
# Environment: CONTAINER_TEST_PORT (default 4313), CONTAINER_TEST_POSTGRES=auto|no (default auto),
# CONTAINER_TEST_KEEP=1 keeps the temporary directory (its path is printed); CONTAINER_TEST_REUSE=<that
# directory> reuses it and skips the base and the build when their images exist (to work on the runs).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
port=${CONTAINER_TEST_PORT:-4313}
image=localhost/miteinander:test
base=localhost/debian:trixie-slim

say() { printf '[container-test] %s\n' "$*"; }
fail() { say "FAILED: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "must run as root (podman with vfs storage in a private root)"
command -v node >/dev/null || fail "node is needed on the host for the HTTP checks"

export DEBIAN_FRONTEND=noninteractive
missing=()
command -v podman >/dev/null || missing+=(podman)
command -v runc >/dev/null || missing+=(runc)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
if [ ${#missing[@]} -gt 0 ]; then
	say "installing ${missing[*]}"
	apt-get update -qq
	apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# /var/tmp, not /tmp: vfs keeps a full copy of every layer (about 2 GB in all) and /tmp may be a tmpfs.
if [ -n "${CONTAINER_TEST_REUSE:-}" ]; then
	work=$CONTAINER_TEST_REUSE
	export CONTAINER_TEST_KEEP=1
else
	work=$(mktemp -d /var/tmp/miteinander-container-test.XXXXXX)
fi
containers=()
pg_db=
cleanup() {
	local code=$?
	for c in "${containers[@]+"${containers[@]}"}"; do podman rm -f -t 5 "$c" >/dev/null 2>&1 || true; done
	if [ -n "$pg_db" ]; then psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true; fi
	if [ "${CONTAINER_TEST_KEEP:-}" = 1 ]; then
		say "kept $work"
	else
		# Unmounts whatever podman still holds (shm, volumes) before the directory goes; only once
		# podman is pointed at our own storage, never at the host's.
		if [ "${CONTAINERS_STORAGE_CONF:-}" = "$work/storage.conf" ]; then podman system reset -f >/dev/null 2>&1 || true; fi
		rm -rf "$work"
	fi
	exit $code
}
trap cleanup EXIT
# A timeout's SIGTERM ends the script through the EXIT trap, so containers and storage still go.
trap 'exit 143' TERM INT

# A private podman: its own storage and configuration in $work, whatever the host has configured.
# - vfs: no overlay mounts or fuse-overlayfs needed (slower and larger, but works everywhere);
# - runc, not crun: crun 1.8 refuses a host with cgroups in hybrid mode (v1 controllers plus a v2
#   hierarchy that still has a controller), which is what these machines have;
# - cgroupfs and a file event log: there is no systemd running as PID 1 to ask;
# - explicit ulimits: as root, podman asks for nofile=1048576 and a large nproc by default, which
#   fails with EPERM where the process lacks CAP_SYS_RESOURCE (so on these machines).
nofile=$(ulimit -Hn)
[ "$nofile" = unlimited ] && nofile=1048576
mkdir -p "$work/storage" "$work/run" "$work/tmp"
cat >"$work/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$work/storage"
runroot = "$work/run"
EOF
cat >"$work/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$work/events.log"
tmp_dir = "$work/tmp"
EOF
export CONTAINERS_STORAGE_CONF="$work/storage.conf" CONTAINERS_CONF="$work/containers.conf" TMPDIR="$work/tmp"
podman --version

timings=()
figures=()
phase_start=
phase() { phase_start=$(date +%s); say "$1 …"; }
phase_end() { local s=$(($(date +%s) - phase_start)); timings+=("$1=${s}s"); say "$1 took ${s}s"; }

# 1. Base image: what debian:trixie-slim is, made from Debian's mirror. Documentation, manual pages
# and translations are left out as in the official slim images.
phase base
if [ -n "${CONTAINER_TEST_REUSE:-}" ] && podman image exists "$base"; then say "reusing $base"; else
mmdebstrap --variant=minbase --format=tar --quiet \
	--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
	--dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
	--dpkgopt='path-exclude=/usr/share/info/*' \
	trixie "$work/base.tar" \
	"deb http://deb.debian.org/debian trixie main" \
	"deb http://deb.debian.org/debian trixie-updates main" \
	"deb http://deb.debian.org/debian-security trixie-security main"
podman import --quiet --change 'CMD ["/bin/bash"]' "$work/base.tar" "$base" >/dev/null
rm -f "$work/base.tar"
fi
phase_end base

# 2. The image. Docker format, because the OCI image format has no HEALTHCHECK; the build's RUN steps
# share the host's network (no bridge and no firewall rules needed for apt and npm).
phase build
# --layers=false: with vfs every committed layer is a full copy of the file system, so only the end
# of each stage is committed. The host's CA bundle goes in as a build secret (a proxy that
# intercepts TLS to the npm registry), and the host's npm cache is lent to `npm ci` when there is one.
build_opts=(--format docker --layers=false --network host --build-arg "BASE=$base")
ca=${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}
[ -f "$ca" ] && build_opts+=(--secret "id=ca,src=$ca")
npm_cache=$(npm config get cache 2>/dev/null || true)
[ -n "$npm_cache" ] && [ -d "$npm_cache/_cacache" ] && build_opts+=(--volume "$npm_cache:/root/.npm")
if [ -n "${CONTAINER_TEST_REUSE:-}" ] && podman image exists "$image"; then say "reusing $image"; else
	podman build "${build_opts[@]}" -t "$image" -f Containerfile . >"$work/build.log" 2>&1 ||
		{ tail -40 "$work/build.log" >&2; fail "podman build failed (log above)"; }
fi
podman image inspect "$image" --format '{{.Size}}' | awk '{printf "[container-test] image size %.0f MB\n", $1 / 1e6}'
phase_end build

# 3. Runs: SQLite in a volume, then PostgreSQL.
# Starts the app and its worker like compose.yaml: both from the image, read-only, /tmp on tmpfs.
start_pair() { # name data_dir extra-env...
	local name=$1 data=$2
	shift 2
	local common=(--read-only --tmpfs /tmp:rw,nosuid,nodev,size=64m --network host -v "$data:/data"
		-e "ORIGIN=http://127.0.0.1:$port" -e "PORT=$port" "$@")
	containers+=("$name-app")
	# Podman complains on stderr that it cannot ask systemd for a healthcheck timer; wait_healthy runs
	# the image's HEALTHCHECK itself, so that goes to a log shown only when something fails.
	podman run -d --name "$name-app" "${common[@]}" -e WORKER_ENABLED=false -e SEED_DEMO=true "$image" >/dev/null 2>>"$work/podman.log"
	wait_healthy "$name-app"
	containers+=("$name-worker")
	# The worker serves no HTTP, so the image's HEALTHCHECK does not apply to it (as in compose.yaml).
	podman run -d --name "$name-worker" --no-healthcheck "${common[@]}" -e WORKER_INTERVAL_MS=500 -e "WORKER_ID=$name-worker" \
		"$image" node dist/worker.js >/dev/null 2>>"$work/podman.log"
}

# Runs the image's own HEALTHCHECK command until it passes.
wait_healthy() {
	local name=$1
	for _ in $(seq 1 120); do
		if podman healthcheck run "$name" >/dev/null 2>&1; then say "$name healthy"; return 0; fi
		[ "$(podman inspect "$name" --format '{{.State.Running}}')" = true ] || break
		sleep 1
	done
	podman logs "$name" >&2 || true
	cat "$work/podman.log" >&2 || true
	fail "$name did not become healthy"
}

# The checks on the running pair over HTTP, from the host. Prints the confirmed registration's email.
check_registration() { # name data_dir
	local name=$1 data=$2 email="container-$name-$$@example.org"
	node --input-type=module - "http://127.0.0.1:$port" "$email" "$data" "${FORWARDED_FOR:-}" <<'EOF'
import fs from 'node:fs';
import path from 'node:path';
const [origin, email, dataDir, forwardedFor] = process.argv.slice(2);
// As a reverse proxy sends it (ADDRESS_HEADER=X-Forwarded-For, XFF_DEPTH=1), when the run sets one.
const proxied = forwardedFor ? { 'x-forwarded-for': `198.51.100.99, ${forwardedFor}` } : {};
const fail = (message) => { console.error(`[container-test] FAILED: ${message}`); process.exit(1); };
const get = async (url) => {
	const response = await fetch(origin + url, { headers: { accept: 'text/html', ...proxied }, redirect: 'manual' });
	return { status: response.status, headers: response.headers, text: await response.text() };
};
const post = async (url, fields) => {
	const response = await fetch(origin + url, {
		method: 'POST', redirect: 'manual', body: new URLSearchParams(fields).toString(),
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin, accept: 'text/html', ...proxied }
	});
	return { status: response.status, headers: response.headers, text: await response.text() };
};

const health = await (await fetch(`${origin}/healthz`)).json();
if (health.status !== 'ok') fail(`/healthz says ${JSON.stringify(health)}`);

// The demo's first upcoming event on the home page, and its registration form (works without JS).
const home = await get('/de');
if (home.status !== 200) fail(`GET /de answered ${home.status}`);
const eventPath = /href="(\/de\/events\/[A-Za-z0-9_-]+)"/.exec(home.text)?.[1];
if (!eventPath) fail('no event link on the home page');
const page = await get(eventPath);
if (page.status !== 200 || !page.text.includes('?/register')) fail(`event page ${eventPath}: ${page.status}, no registration form`);

// A cross-site post is refused (the app's CSRF check against ORIGIN) …
const foreign = await fetch(`${origin}${eventPath}?/register`, {
	method: 'POST', redirect: 'manual', body: 'name=x',
	headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', ...proxied }
});
if (foreign.status !== 403) fail(`a post from another origin got ${foreign.status}, not 403`);
// … and the real one is taken.
const registered = await post(`${eventPath}?/register`, {
	name: 'Container Test', email, residency: 'resident', consentPrivacy: 'on', languages: 'de'
});
if (registered.status >= 400) fail(`registration answered ${registered.status}`);

// The worker container writes the confirmation request to DATA_DIR/mail (no SMTP configured).
const mailDir = path.join(dataDir, 'mail');
let mail;
for (let i = 0; i < 120 && !mail; i++) {
	const files = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml')) : [];
	mail = files.map((f) => fs.readFileSync(path.join(mailDir, f), 'utf8')).find((text) => text.includes(email));
	if (!mail) await new Promise((resolve) => setTimeout(resolve, 500));
}
if (!mail) fail(`no mail to ${email} in ${mailDir} within a minute: is the worker delivering?`);
const unfolded = mail.replace(/=\r?\n/g, '');
const confirmPath = /(\/[a-z]{2}\/confirm\/[a-z2-7]{24}\.[a-z2-7]{24})/.exec(unfolded)?.[1];
if (!confirmPath) fail('the confirmation request has no confirmation link');

// Opening the link only shows a button (mail scanners must not confirm); pressing it confirms.
const confirmPage = await get(confirmPath);
if (confirmPage.status !== 200) fail(`GET ${confirmPath} answered ${confirmPage.status}`);
const confirmed = await post(confirmPath, {});
if (confirmed.status >= 400) fail(`confirming answered ${confirmed.status}`);
console.log(`[container-test] registered and confirmed ${email} for ${eventPath}`);
EOF
}

# One column of one query, read inside the app container with the image's own drivers.
query_app_db() { # name sql (one $1 parameter) value
	podman exec -i "$1-app" node --input-type=module - "$2" "$3" <<'EOF'
import { createRequire } from 'node:module';
const require = createRequire('/app/package.json');
const [query, email] = process.argv.slice(2);
if (process.env.DATABASE_URL) {
	const pg = require('pg');
	const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
	await client.connect();
	const { rows } = await client.query(query, [email]);
	console.log(rows.map((r) => Object.values(r)[0]).join(',') || 'none');
	await client.end();
} else {
	const Database = require('better-sqlite3');
	const db = new Database('/data/miteinander.sqlite', { readonly: true });
	console.log(db.prepare(query.replace('$1', '?')).all(email).map((r) => Object.values(r)[0]).join(',') || 'none');
	db.close();
}
EOF
}

check_pair() { # name data_dir
	local name=$1 data=$2 email="container-$1-$$@example.org" status
	check_registration "$name" "$data"
	status=$(query_app_db "$name" 'select r.status from registration r join person p on p.id = r.person_id where p.email = $1' "$email")
	[ "$status" = confirmed ] || fail "$name: registration of $email is '$status' in the database, not confirmed"
	say "$name: registration row is confirmed"
	if [ -n "${FORWARDED_FOR:-}" ]; then
		# The rate limit counted the address the proxy saw, not the container's peer or a forged entry.
		hits=$(query_app_db "$name" 'select hits from rate_limit where key = $1' "register:ip:$FORWARDED_FOR")
		[ "$hits" != none ] || fail "$name: no rate-limit row for the forwarded address $FORWARDED_FOR"
		say "$name: the client address came from X-Forwarded-For"
	fi
	rss=$(podman exec "$name-app" sh -c 'grep VmHWM /proc/1/status' | awk '{printf "%.0f", $2 / 1024}')
	say "$name: app peak memory (VmHWM) ${rss} MB"
	figures+=("$name-app-peak-rss=${rss}MB")
	# The bundled admin CLI, as an operator creates the first coordinator in a running container.
	podman exec "$name-app" node dist/admin.js create-coordinator --email "coordinator-$$@example.org" --municipality "Testdorf $name" \
		| grep -q "/sign-in/" || fail "$name: node dist/admin.js create-coordinator printed no sign-in link"
	say "$name: admin CLI created a coordinator"
	# The image's promises: not root, nothing writable outside /data and /tmp.
	[ "$(podman exec "$name-app" id -u)" = 10001 ] || fail "$name: the app does not run as uid 10001"
	if podman exec "$name-app" sh -c 'touch /app/probe' 2>/dev/null; then fail "$name: /app is writable"; fi
	# SIGTERM: the app and the worker finish what they do and exit 0.
	for c in "$name-app" "$name-worker"; do
		podman stop -t 30 "$c" >/dev/null 2>>"$work/podman.log"
		local code
		code=$(podman inspect "$c" --format '{{.State.ExitCode}}')
		[ "$code" = 0 ] || { podman logs "$c" | tail -20 >&2; fail "$c exited with $code after SIGTERM"; }
	done
	say "$name: app and worker stopped cleanly"
}

phase run-sqlite
mkdir -p "$work/data-sqlite"
chown 10001:10001 "$work/data-sqlite"
start_pair sqlite "$work/data-sqlite"
check_pair sqlite "$work/data-sqlite"
phase_end run-sqlite

if [ "${CONTAINER_TEST_POSTGRES:-auto}" != no ] && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
	phase run-postgres
	pg_db="miteinander_container_$$"
	psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $pg_db" >/dev/null
	mkdir -p "$work/data-postgres"
	chown 10001:10001 "$work/data-postgres"
	# This pair also runs as behind a reverse proxy: the client address from X-Forwarded-For.
	FORWARDED_FOR=203.0.113.7
	start_pair postgres "$work/data-postgres" -e "DATABASE_URL=postgres://postgres@127.0.0.1:5432/$pg_db" \
		-e "APP_SECRET=container-test-$$-$RANDOM$RANDOM" -e ADDRESS_HEADER=X-Forwarded-For -e XFF_DEPTH=1
	check_pair postgres "$work/data-postgres"
	FORWARDED_FOR=
	phase_end run-postgres
else
	say "no PostgreSQL at 127.0.0.1:5432 (or CONTAINER_TEST_POSTGRES=no): PostgreSQL run skipped"
fi

say "passed (${timings[*]} ${figures[*]})"
