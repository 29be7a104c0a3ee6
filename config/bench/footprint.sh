#!/usr/bin/env bash
# Peak RSS, client CPU and wall of one fanout run per JVM setting, against one simulated fleet in its own process
# (password login, the reference system's three commands, --format json), as in the footprint table of
# docs/performance.md. Each setting is a FANOUT_JAVA_OPTS value; "launcher" is the launcher's own choice (empty
# FANOUT_JAVA_OPTS), "jdk" the JDK's defaults (G1, C2).
# Usage: config/bench/footprint.sh HOSTS LATENCY [SETTING...]
#   e.g. config/bench/footprint.sh 2000 0ms jdk launcher "-Xmx256m"
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
HOSTS=${1:?hosts}
LATENCY=${2:?latency}
shift 2
[[ $# -gt 0 ]] || set -- jdk launcher
DIR=$(mktemp -d)
trap 'kill $FLEET 2>/dev/null; rm -rf "$DIR"' EXIT
export FLEET_PW=measure-pw
./fanout fleet --hosts "$HOSTS" --latency "$LATENCY" --password-env FLEET_PW --inventory-out "$DIR/hosts.txt" \
  --known-hosts-out "$DIR/known_hosts" > "$DIR/fleet.out" 2>&1 &
FLEET=$!
for _ in $(seq 1 240); do grep -q '^ready' "$DIR/fleet.out" && break; sleep 0.5; done
for setting in "$@"; do
  case "$setting" in
    launcher) opts="" ;;
    jdk) opts="-XX:+UseG1GC -XX:TieredStopAtLevel=4" ;;
    *) opts="$setting" ;;
  esac
  FANOUT_JAVA_OPTS="$opts" /usr/bin/time -f "%e %U %S %M" -o "$DIR/time.txt" ./fanout run -i "$DIR/hosts.txt" \
    --known-hosts "$DIR/known_hosts" --password-env FLEET_PW --no-progress --format json \
    -c 'uname -sr' -c "echo 'sleep 5 && ls -al' > /tmp/sleep.sh && chmod +x /tmp/sleep.sh" \
    -c 'nohup bash /tmp/sleep.sh &> /tmp/nm.nohup.out &' > "$DIR/run.json" 2> "$DIR/run.err"
  rc=$?
  read -r wall user sys rss < "$DIR/time.txt"
  echo "hosts=$HOSTS latency=$LATENCY setting='$setting' rc=$rc peak_rss=$((rss / 1024))MB" \
    "client_cpu=$(echo "$user + $sys" | bc)s wall=${wall}s | $(tail -1 "$DIR/run.err")"
done
