#!/usr/bin/env bash
# Heap per pooled idle session (docs/library.md, "Footprint"): a fleet of HOSTS (default 2,000) in its own process,
# and config/bench/PooledSessions.java on fanout's jar, which runs `true` on every host with a session pool and
# compares the heap after a full collection before the run and after it, with one idle session per host pooled.
# The JVM: serial collector, no dead space left by its full collections (-XX:MarkSweepDeadRatio=0), so the heap
# after GC is the live objects. With JSON_FILE, writes {"pooled_session_heap_kb": N} there, for
# `fanout gate --heap` (only when every host ended ok). Usage: [DRIVER=mina|jsch] pooled-sessions.sh [HOSTS [JSON_FILE]]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
hosts=${1:-2000}
json=${2:-}
driver=${DRIVER:-mina}
work=$(mktemp -d)
export FLEET_PW=pooled-pw
./fanout --version >/dev/null 2>&1 # builds the jar first, if needed
./fanout fleet --hosts "$hosts" --password-env FLEET_PW --inventory-out "$work/inventory.txt" \
    --known-hosts-out "$work/known_hosts" >"$work/fleet.out" 2>&1 &
fleet=$!
trap 'kill $fleet 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do grep -q ready "$work/fleet.out" && break; sleep 0.5; done
java=""
for home in "${FANOUT_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/*; do # a JDK 21+, as the launcher needs
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null || true)
    if [[ -n "$home" && -x "$home/bin/java" && "${version:-0}" -ge 21 ]]; then java="$home/bin/java"; break; fi
done
[[ -n "$java" ]] || { echo "pooled-sessions.sh: needs a JDK 21 or newer" >&2; exit 2; }
"$java" -XX:+UseSerialGC -XX:MarkSweepDeadRatio=0 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "target/fanout.jar:target/lib/*" \
    config/bench/PooledSessions.java "$work/inventory.txt" "$work/known_hosts" "$driver" ${json:+"$json"}
