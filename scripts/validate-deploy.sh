#!/usr/bin/env bash
# Checks the deployment files the way their own tools read them:
#   - deploy/*.service with `systemd-analyze verify` (any warning counts: an unknown or misspelt
#     directive is only a warning to systemd, and a hardening line it ignores protects nothing);
#   - deploy/Caddyfile with `caddy validate`;
#   - deploy/nginx.conf with `nginx -t`, included in a throwaway http { } block and pointed at a
#     self-signed certificate made for the test;
#   - compose.yaml against the Compose Specification's JSON schema (dclint, from the npm registry).
# Installs systemd, caddy, nginx and openssl with apt when missing (without starting their services).
# Runs as root on a Debian host; leaves nothing behind.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

say() { printf '[validate-deploy] %s\n' "$*"; }
failures=0
check_failed() { say "FAILED: $*" >&2; failures=$((failures + 1)); }

export DEBIAN_FRONTEND=noninteractive
missing=()
command -v systemd-analyze >/dev/null || missing+=(systemd)
command -v caddy >/dev/null || missing+=(caddy)
command -v nginx >/dev/null || missing+=(nginx)
command -v openssl >/dev/null || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
	say "installing ${missing[*]}"
	# Installing caddy or nginx would start them on ports 80 and 443: policy-rc.d says no, as in
	# container images. Only ours is removed afterwards.
	own_policy=
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod +x /usr/sbin/policy-rc.d
		own_policy=1
	fi
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	[ -z "$own_policy" ] || rm -f /usr/sbin/policy-rc.d
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# systemd units. verify needs ExecStart's binary (/usr/bin/node) to exist and be executable, not
# the files it is given; the User= need not exist.
for unit in deploy/*.service; do
	if out=$(systemd-analyze verify "$unit" 2>&1) && [ -z "$out" ]; then
		say "ok: systemd-analyze verify $unit"
	else
		printf '%s\n' "$out" >&2
		check_failed "systemd-analyze verify $unit"
	fi
done

# Caddy: adapts the Caddyfile and provisions every module, without binding ports or fetching
# certificates. Its state goes to the temporary directory, not root's home.
if out=$(HOME="$tmp" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
	caddy validate --config deploy/Caddyfile --adapter caddyfile 2>&1); then
	say "ok: caddy validate deploy/Caddyfile"
else
	printf '%s\n' "$out" >&2
	check_failed "caddy validate deploy/Caddyfile"
fi
if ! caddy fmt deploy/Caddyfile | diff -u deploy/Caddyfile - >&2; then
	check_failed "deploy/Caddyfile is not formatted as caddy fmt would (see the diff)"
fi

# nginx: the site file as an operator installs it (inside http { }), with the certificate paths
# pointed at a throwaway self-signed pair. Everything nginx writes during the test goes to $tmp.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=miteinander.example.at \
	-keyout "$tmp/privkey.pem" -out "$tmp/fullchain.pem" 2>/dev/null
sed -e "s#/etc/letsencrypt/live/miteinander.example.at/#$tmp/#g" deploy/nginx.conf >"$tmp/site.conf"
if grep -q /etc/letsencrypt "$tmp/site.conf"; then
	check_failed "deploy/nginx.conf names certificates this check cannot replace"
fi
cat >"$tmp/nginx.conf" <<EOF
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events {}
http {
	include /etc/nginx/mime.types;
	access_log $tmp/access.log;
	client_body_temp_path $tmp/body;
	proxy_temp_path $tmp/proxy;
	fastcgi_temp_path $tmp/fastcgi;
	uwsgi_temp_path $tmp/uwsgi;
	scgi_temp_path $tmp/scgi;
	include $tmp/site.conf;
}
EOF
if out=$(nginx -t -q -c "$tmp/nginx.conf" -e "$tmp/error.log" 2>&1); then
	say "ok: nginx -t with deploy/nginx.conf"
else
	printf '%s\n' "$out" >&2
	check_failed "nginx -t with deploy/nginx.conf"
fi

# compose.yaml against the Compose Specification schema. dclint's style rules are left out; its two
# errors about build + image (the image names what build makes) and a :latest tag do not apply.
if out=$(cd "$tmp" && npx --yes dclint@3.1.0 "$repo/compose.yaml" --quiet --color=false \
	--disable-rule no-build-and-image --disable-rule service-image-require-explicit-tag 2>&1); then
	say "ok: compose.yaml matches the Compose Specification"
else
	printf '%s\n' "$out" >&2
	check_failed "compose.yaml"
fi

if [ "$failures" -gt 0 ]; then
	say "$failures check(s) failed"
	exit 1
fi
say "all deployment files valid"
