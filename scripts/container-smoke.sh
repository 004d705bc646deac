#!/usr/bin/env bash
# Container smoke test: build the repo's Dockerfile with podman, run the image, wait for /readyz,
# analyze a seed article through the SDK from the host, then stop the container and check that it
# shut down gracefully on SIGTERM. Run as root (CI does): `make container-test`.
#
# BASE IMAGE: CI cannot reach a container registry, so `python:3.11-slim` is replaced by a locally
# bootstrapped STAND-IN for it: a Debian bookworm minbase (python3 = 3.11, python3-venv, python3-pip,
# ca-certificates) made with mmdebstrap from this machine's own apt mirror, trusting the machine's
# extra CA certificates, and imported into a throw-away podman store. It is not the official
# image; the Dockerfile is kept correct for both.
#
# Everything the script creates (podman configuration and storage, containers, images, temp files)
# lives in one temporary directory, removed on exit whatever the outcome; the leftovers of a run that
# was killed outright are removed by the next one. It can be re-run at will.
#
# Knobs (environment): QAWL_SMOKE_PORT (host port, default: a free one), QAWL_SMOKE_SEED (article,
# default: the first of seeds/), QAWL_SMOKE_READY_TIMEOUT (120 s), QAWL_SMOKE_STOP_TIMEOUT (20 s),
# QAWL_SMOKE_MAX_IMAGE_MB (600), QAWL_SMOKE_WORKERS (2), QAWL_SMOKE_KEEP=1 (keep the temp dir).
# shellcheck disable=SC2016  # '$1' in mmdebstrap hooks and the in-image check expand later, there
set -euo pipefail
export LC_ALL=C # EPOCHREALTIME, awk and sort with a '.' decimal point and byte order

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SUITE=bookworm
READY_TIMEOUT=${QAWL_SMOKE_READY_TIMEOUT:-120}
STOP_TIMEOUT=${QAWL_SMOKE_STOP_TIMEOUT:-20}
MAX_IMAGE_MB=${QAWL_SMOKE_MAX_IMAGE_MB:-600}
WORKERS=${QAWL_SMOKE_WORKERS:-2}
BASE_TAG=localhost/qawl-ci/python-standin:3.11-slim
IMAGE_TAG=localhost/qawl-service:smoke
NAME=qawl-smoke-$$
T_START=$EPOCHREALTIME

# podman without systemd logs an error for every healthcheck timer it cannot create: not ours.
quiet_podman() { podman "$@" 2> >(grep -v 'unable to get systemd connection' >&2); }
log() { printf '[container-smoke %5.1fs] %s\n' "$(elapsed "$T_START")" "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

[[ $(id -u) -eq 0 ]] || die "run as root (podman builds and runs the image rootful here, as in CI)"

# ---- tools: podman (runc runtime, catatonit for --init), mmdebstrap ------------------------------
need_tools() {
    local missing=() cmd
    for cmd in podman runc catatonit mmdebstrap newuidmap netavark iptables; do
        command -v "$cmd" >/dev/null 2>&1 || [[ -x /usr/lib/podman/$cmd ]] || missing+=("$cmd")
    done
    printf '%s\n' "${missing[@]}"
}
if [[ -n $(need_tools) ]]; then
    log "installing container tools (missing: $(need_tools | tr '\n' ' '))"
    if command -v apt-get >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq || log "apt-get update reported errors; trying the install anyway"
        apt-get install -y -qq --no-install-recommends \
            podman runc catatonit uidmap mmdebstrap netavark aardvark-dns iptables ca-certificates \
            >/dev/null || true
    fi
    if [[ -n $(need_tools) ]]; then
        echo "SKIP: container smoke test needs podman, runc, catatonit and mmdebstrap;" \
            "could not install: $(need_tools | tr '\n' ' ')" >&2
        exit 0
    fi
fi

# ---- private podman configuration and storage -----------------------------------------------------
# Rootful podman 4.3 keeps two bits of state at fixed paths whatever its configuration: a blob-info
# cache under /var/lib/containers and netavark's IPAM under /run/containers. Removed on exit when
# this run is the one that created them.
STATE_DIRS=()
for d in /var/lib/containers /run/containers; do [[ -e $d ]] || STATE_DIRS+=("$d"); done
TMP_BASE=${TMPDIR:-/var/tmp}

destroy_store() { # $1: a work directory of this script: its containers, images, mounts and files
    local dir=$1
    if [[ -f $dir/containers.conf && -f $dir/storage.conf ]]; then
        # kill and remove its containers at once, then every image, network and layer of the store
        CONTAINERS_CONF=$dir/containers.conf CONTAINERS_STORAGE_CONF=$dir/storage.conf \
            podman rm -a -f -t 0 >/dev/null 2>&1 || true
        CONTAINERS_CONF=$dir/containers.conf CONTAINERS_STORAGE_CONF=$dir/storage.conf \
            podman system reset -f >/dev/null 2>&1 || true
    fi
    # Never delete through a live mount: unmount whatever is still mounted below it first.
    awk -v w="$dir/" 'index($2, w) == 1 { print $2 }' /proc/self/mounts | sort -r |
        while read -r m; do umount -l "$m" 2>/dev/null || true; done
    rm -rf --one-file-system "$dir"
}

# Leftovers of runs killed before their trap could run (their process is gone; QAWL_SMOKE_KEEP
# directories are left alone).
for d in "$TMP_BASE"/qawl-smoke.*; do
    [[ -d $d && ! -e $d/keep ]] || continue
    pid=$(cat "$d/pid" 2>/dev/null || true)
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && continue # a run in progress
    log "removing the leftovers of an interrupted run: $d"
    destroy_store "$d"
done

WORK=$(mktemp -d "$TMP_BASE/qawl-smoke.XXXXXX")
echo $$ >"$WORK/pid"
export CONTAINERS_CONF=$WORK/containers.conf CONTAINERS_STORAGE_CONF=$WORK/storage.conf

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ ${QAWL_SMOKE_KEEP:-0} == 1 ]]; then
        touch "$WORK/keep"
        log "QAWL_SMOKE_KEEP=1: leaving $WORK (podman: CONTAINERS_CONF=$CONTAINERS_CONF" \
            "CONTAINERS_STORAGE_CONF=$CONTAINERS_STORAGE_CONF; remove with rm -rf after podman system reset)"
        exit "$rc"
    fi
    destroy_store "$WORK"
    # podman's fixed-path state, if this run created it and no other run is using it
    if ((${#STATE_DIRS[@]})) && ! compgen -G "$TMP_BASE/qawl-smoke.*" >/dev/null; then
        rm -rf --one-file-system "${STATE_DIRS[@]}"
    fi
    [[ $rc -eq 0 ]] || log "cleaned up after failure (exit $rc)"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

NOFILE=$(ulimit -Hn)
[[ $NOFILE == unlimited ]] && NOFILE=1048576
cat >"$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = ["nofile=$NOFILE:$NOFILE", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$WORK/events.log"
tmp_dir = "$WORK/libpod"

[network]
network_config_dir = "$WORK/networks"
EOF
cat >"$CONTAINERS_STORAGE_CONF" <<EOF
[storage]
driver = "overlay"
graphroot = "$WORK/storage"
runroot = "$WORK/run"
EOF

# ---- pip settings for the build, taken from this machine ------------------------------------------
# Index URLs, trusted hosts, proxy and timeouts as the host's pip sees them (config files and PIP_*
# env); local paths and file:// indexes are dropped (they do not exist inside the build). Handed to
# the build as a secret (not a build-arg) so URLs with credentials never land in image history.
# http(s)_proxy / no_proxy in the environment are passed through by podman build itself.
HOST_PY=$(command -v python3 || true)
[[ -n $HOST_PY ]] || die "python3 is needed on the host"
"$HOST_PY" - "$WORK/pip.conf" <<'EOF'
import os, subprocess, sys
keys = {"index-url", "extra-index-url", "trusted-host", "proxy", "timeout", "retries", "default-timeout"}
settings = {}
try:
    out = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True,
                         text=True, timeout=60).stdout
except Exception:
    out = ""
for line in out.splitlines():          # e.g.  global.index-url='https://...'  or  :env:.timeout='60'
    name, _, value = line.partition("=")
    key = name.rsplit(".", 1)[-1]
    if key in keys:
        settings[key] = value.strip().strip("'\"")
for key in keys:                       # PIP_INDEX_URL etc. override the config files
    value = os.environ.get("PIP_" + key.upper().replace("-", "_"))
    if value:
        settings[key] = value
if "default-timeout" in settings:
    settings.setdefault("timeout", settings.pop("default-timeout"))
for key in ("index-url", "extra-index-url"):
    urls = [u for u in settings.get(key, "").split() if u.startswith(("http://", "https://"))]
    if urls:
        settings[key] = " ".join(urls)
    else:
        settings.pop(key, None)
with open(sys.argv[1], "w") as f:
    f.write("[global]\n" + "".join(f"{k} = {v}\n" for k, v in sorted(settings.items())))
EOF
CA_BUNDLE=""
for f in "${PIP_CERT:-}" "${SSL_CERT_FILE:-}" /etc/ssl/certs/ca-certificates.crt; do
    [[ -n $f && -s $f ]] && { CA_BUNDLE=$f; break; }
done

# ---- base image: a locally bootstrapped stand-in for python:3.11-slim -----------------------------
# The Debian mirror(s) this machine's apt already uses, as apt resolved them (any sources format).
apt-cache policy | awk -v suite="$SUITE" '
    $1 ~ /^[0-9]+$/ && $2 ~ /^(https?|file):/ && $3 ~ /\// { split($3, s, "/"); url = $2; dist = s[1]; comp = s[2]; next }
    $1 == "release" && url != "" {
        if ($2 ~ /(^|,)o=Debian(,|$)/ && $2 ~ ("(^|,)n=" suite "(-[a-z]+)?(,|$)") && comp == "main")
            print "deb " url " " dist " main"
        url = ""
    }' | sort -u >"$WORK/sources.list"
grep -q . "$WORK/sources.list" || die "no Debian $SUITE mirror in this machine's apt sources (apt-cache policy)"
log "bootstrapping the python:3.11-slim stand-in (Debian $SUITE minbase) from: $(awk '{print $2}' "$WORK/sources.list" | sort -u | tr '\n' ' ')"
extra_cas=()
if [[ -d /usr/local/share/ca-certificates ]]; then
    while IFS= read -r -d '' f; do extra_cas+=("$f"); done \
        < <(find /usr/local/share/ca-certificates -maxdepth 1 -type f -name '*.crt' -print0)
fi
hooks=(--customize-hook='mkdir -p "$1/usr/local/share/ca-certificates"')
((${#extra_cas[@]})) && hooks+=(--customize-hook="copy-in ${extra_cas[*]} /usr/local/share/ca-certificates/")
hooks+=(
    --customize-hook='chroot "$1" update-ca-certificates --fresh >/dev/null 2>&1'
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/apt/* "$1"/var/log/dpkg.log'
)
t=$EPOCHREALTIME
# merged-usr hook: the /usr merge without the usrmerge package (which drags perl, ~50 MB, in);
# force-unsafe-io: no fsync per unpacked file, the tree is a throw-away tarball anyway.
TMPDIR=$WORK mmdebstrap --quiet --variant=minbase --mode=root --format=tar \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --include=python3,python3-venv,python3-pip,python-is-python3,ca-certificates \
    --aptopt='APT::Install-Recommends "false"' --dpkgopt=force-unsafe-io \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    "${hooks[@]}" "$SUITE" "$WORK/base.tar" - <"$WORK/sources.list" >"$WORK/mmdebstrap.log" 2>&1 ||
    { tail -n 40 "$WORK/mmdebstrap.log" >&2; die "mmdebstrap failed (log above)"; }
podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["python3"]' \
    --message "local stand-in for python:3.11-slim (Debian $SUITE minbase + python3)" \
    "$WORK/base.tar" "$BASE_TAG" >/dev/null
rm -f "$WORK/base.tar"
log "base ready in $(elapsed "$t") s: $(podman run --rm --pull=never "$BASE_TAG" python --version 2>&1)"

# ---- build ------------------------------------------------------------------------------------------
secrets=(--secret "id=pip.conf,src=$WORK/pip.conf")
[[ -n $CA_BUNDLE ]] && secrets+=(--secret "id=ca.pem,src=$CA_BUNDLE")
log "building $IMAGE_TAG from $ROOT/Dockerfile"
t=$EPOCHREALTIME
podman build --pull=never --format docker --build-arg "PYTHON_IMAGE=$BASE_TAG" "${secrets[@]}" \
    --tag "$IMAGE_TAG" --file "$ROOT/Dockerfile" "$ROOT" >"$WORK/build.log" 2>&1 ||
    { tail -n 60 "$WORK/build.log" >&2; die "podman build failed (log above)"; }
log "image built in $(elapsed "$t") s"

size=$(podman image inspect --format '{{.Size}}' "$IMAGE_TAG")
size_mb=$((size / 1000000))
log "image size: $size_mb MB ($size bytes)"
((size_mb < MAX_IMAGE_MB)) || die "image is $size_mb MB, limit $MAX_IMAGE_MB MB"
user=$(podman image inspect --format '{{.Config.User}}' "$IMAGE_TAG")
[[ -n $user && $user != root && $user != 0 ]] || die "image runs as root (USER '$user')"
# The final stage carries the virtualenv only: no compilers, no pip in it, no repo tests, no caches,
# none of the packages the Dockerfile removes as unused (polyfactory, faker, pygments).
quiet_podman run --rm --pull=never --entrypoint /bin/sh "$IMAGE_TAG" -c '
    bad=""
    for t in gcc cc g++ make; do command -v "$t" >/dev/null 2>&1 && bad="$bad $t"; done
    for p in /opt/qawl/bin/pip /src /wheels /root/.cache /opt/qawl/lib/python3*/site-packages/pip \
        /opt/qawl/lib/python3*/site-packages/faker /opt/qawl/lib/python3*/site-packages/polyfactory \
        /opt/qawl/lib/python3*/site-packages/pygments \
        $(find /opt/qawl -type d \( -name tests -o -name .pytest_cache \) -print); do
        [ -e "$p" ] && bad="$bad $p"
    done
    [ -z "$bad" ] || { echo "unexpected in the final image:$bad" >&2; exit 1; }' ||
    die "final stage is not clean"

# ---- run and wait for readiness --------------------------------------------------------------------
PORT=${QAWL_SMOKE_PORT:-$("$HOST_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
URL=http://127.0.0.1:$PORT
http_status() { # status code of GET $1, 000 when there is no answer
    "$HOST_PY" - "$1" <<'EOF'
import sys, urllib.error, urllib.request
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=2).status)
except urllib.error.HTTPError as e:
    print(e.code)
except Exception:
    print("000")
EOF
}
log "podman run -d --init -p 127.0.0.1:$PORT:8000 $IMAGE_TAG (QAWL_WORKERS=$WORKERS)"
t_run=$EPOCHREALTIME
quiet_podman run -d --init --pull=never --name "$NAME" -p "127.0.0.1:$PORT:8000" \
    -e "QAWL_WORKERS=$WORKERS" "$IMAGE_TAG" >/dev/null
status=000
while :; do
    status=$(http_status "$URL/readyz")
    [[ $status == 200 ]] && break
    [[ $(podman container inspect --format '{{.State.Running}}' "$NAME") == true ]] ||
        { podman logs "$NAME" >&2 || true; die "container exited before it was ready"; }
    if (($(awk -v a="$t_run" -v b="$EPOCHREALTIME" -v m="$READY_TIMEOUT" 'BEGIN { print (b - a > m) }'))); then
        podman logs "$NAME" >&2 || true
        die "/readyz not 200 after ${READY_TIMEOUT}s (last status $status)"
    fi
    sleep 0.5
done
ready_s=$(elapsed "$t_run")
log "ready: /readyz 200 ${ready_s} s after podman run"
[[ $(http_status "$URL/healthz") == 200 ]] || die "/healthz is not 200"
for page in /ui /ui/ui.js /ui/ui.css; do # the analyst page's files are in the image
    [[ $(http_status "$URL$page") == 200 ]] || die "$page is not 200"
done
quiet_podman healthcheck run "$NAME" >/dev/null || die "the image's HEALTHCHECK reports unhealthy"

# ---- analyze a seed article through the SDK, from the host -------------------------------------------
SEED=${QAWL_SMOKE_SEED:-$(find "$ROOT/seeds" -maxdepth 1 -name '*.txt' | sort | head -n 1)}
[[ -s $SEED ]] || die "no seed article found in $ROOT/seeds"
if [[ -x $ROOT/.venv/bin/python ]] && "$ROOT/.venv/bin/python" -c 'import qawl' 2>/dev/null; then
    SDK_PY=("$ROOT/.venv/bin/python") # the dev venv (`make install`)
elif PYTHONPATH=$ROOT/sdk "$HOST_PY" -c 'import qawl' 2>/dev/null; then
    SDK_PY=(env "PYTHONPATH=$ROOT/sdk" "$HOST_PY") # the SDK from source, its deps already there
else
    log "no Python with the SDK's dependencies (httpx, msgspec): installing ./sdk into a temporary venv"
    { "$HOST_PY" -m venv "$WORK/sdk-venv" &&
        "$WORK/sdk-venv/bin/python" -m pip install --quiet "$ROOT/sdk"; } >"$WORK/sdk-venv.log" 2>&1 ||
        { cat "$WORK/sdk-venv.log" >&2; die "could not install the SDK"; }
    SDK_PY=("$WORK/sdk-venv/bin/python")
fi
log "analyzing $(basename "$SEED") through the SDK (${SDK_PY[*]})"
"${SDK_PY[@]}" - "$URL" "$SEED" <<'EOF' || die "SDK check failed"
import sys
from pathlib import Path

import qawl

url, seed = sys.argv[1], Path(sys.argv[2])
text = seed.read_text(encoding="utf-8")
with qawl.Client(url, max_retries=2) as client:
    assert client.ready(), "/readyz is not ready through the SDK"
    result = client.entities(text, id=seed.stem)
assert result.id == seed.stem, f"id not echoed: {result.id!r}"
entities = result.entities
bad = [(e.label, m) for e in entities for m in e.mentions if text[m.start : m.end] != m.text]
labels = sorted({e.label for e in entities})
print(f"  model {result.model}: {len(entities)} entities, labels {labels}")
for e in entities[:8]:
    print(f"    {e.label:4} {e.name}  x{len(e.mentions)}")
assert len(entities) >= 3, f"expected at least 3 entities, got {len(entities)}"
assert all(e.mentions for e in entities), "an entity without mentions"
assert not bad, f"mention offsets do not match the text: {bad[:3]}"
assert "PER" in labels, "no PER entity"
EOF

# ---- graceful stop -----------------------------------------------------------------------------------
log "podman stop -t $STOP_TIMEOUT (SIGTERM, then SIGKILL after ${STOP_TIMEOUT}s)"
t=$EPOCHREALTIME
quiet_podman stop -t "$STOP_TIMEOUT" "$NAME" >/dev/null
stop_s=$(elapsed "$t")
code=$(podman container inspect --format '{{.State.ExitCode}}' "$NAME")
podman logs "$NAME" 2>&1 | tail -n 5 | sed 's/^/  | /' >&2
[[ $code == 0 || $code == 143 ]] || die "container exit code $code after SIGTERM (expected 0 or 143)"
awk -v s="$stop_s" -v m="$STOP_TIMEOUT" 'BEGIN { exit !(s < m) }' ||
    die "stop took ${stop_s}s: SIGTERM was not honoured (killed at the ${STOP_TIMEOUT}s timeout)"
log "stopped gracefully in ${stop_s} s (exit code $code)"

# ---- the CLI in the image: one JSON line per input, ok -----------------------------------------------
log "qawl-service analyze - (the image's CLI, the seed on stdin)"
quiet_podman run --rm -i --pull=never "$IMAGE_TAG" qawl-service analyze - <"$SEED" >"$WORK/cli.jsonl" ||
    die "qawl-service analyze failed in the image"
"$HOST_PY" - "$WORK/cli.jsonl" <<'EOF' || die "CLI output check failed"
import json
import sys

lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 1, f"expected one JSON line, got {len(lines)}"
result = json.loads(lines[0])
assert result.get("ok") is True, result
print(f"  CLI: ok, {len(lines[0])} bytes of JSON")
EOF

log "PASS: image ${size_mb} MB, ready ${ready_s} s after podman run, total $(elapsed "$T_START") s"
