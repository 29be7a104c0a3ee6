#!/usr/bin/env bash
# 20,000 simulated hosts on one machine: one fanout run (mina, virtual threads, the reference system's three
# commands, password login) against a fleet served by two processes of 10,000 hosts on one port (each host's
# listening socket is an open file, and this machine's hard limit is 20,000). Prints the run's wall time, client
# CPU per host, peak RSS, and its summary; the fleet's own CPU per host.
# Usage: config/bench/fleet-20000.sh [LATENCY] [HOSTS]   (defaults: 100ms 20000)
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
LATENCY=${1:-100ms}
HOSTS=${2:-20000}
HALF=$((HOSTS / 2))
DIR=$(mktemp -d)
trap 'kill $FLEET_A $FLEET_B 2>/dev/null; rm -rf "$DIR"' EXIT
export FLEET_PW=measure-pw
await_ready() { for _ in $(seq 1 240); do grep -q '^ready' "$1" && return 0; sleep 0.5; done; cat "$1"; exit 1; }
./fanout fleet --hosts $HALF --latency "$LATENCY" --password-env FLEET_PW --inventory-out "$DIR/a.txt" \
  --known-hosts-out "$DIR/a.kh" > "$DIR/a.out" 2>&1 &
FLEET_A=$!
await_ready "$DIR/a.out"
PORT=$(head -1 "$DIR/a.txt" | sed 's/.*://')
./fanout fleet --hosts $((HOSTS - HALF)) --first-host $HALF --port "$PORT" --latency "$LATENCY" \
  --password-env FLEET_PW --inventory-out "$DIR/b.txt" --known-hosts-out "$DIR/b.kh" > "$DIR/b.out" 2>&1 &
FLEET_B=$!
await_ready "$DIR/b.out"
cat "$DIR/a.txt" "$DIR/b.txt" > "$DIR/hosts.txt"
cat "$DIR/a.kh" "$DIR/b.kh" > "$DIR/known_hosts"
cpu_of() { awk '{print $14+$15}' /proc/"$1"/stat; }
fleet_cpu() { echo $(( $(cpu_of $FLEET_A) + $(cpu_of $FLEET_B) )); } # the launcher execs java: same pids
F0=$(fleet_cpu)
/usr/bin/time -f "%e %U %S %M" -o "$DIR/time.txt" ./fanout run -i "$DIR/hosts.txt" --known-hosts "$DIR/known_hosts" \
  --password-env FLEET_PW --no-progress --format json \
  -c 'uname -sr' -c "echo 'sleep 5 && ls -al' > /tmp/sleep.sh && chmod +x /tmp/sleep.sh" \
  -c 'nohup bash /tmp/sleep.sh &> /tmp/nm.nohup.out &' > "$DIR/run.json" 2> "$DIR/run.err"
RC=$?
F1=$(fleet_cpu)
read -r WALL USER SYS RSS < "$DIR/time.txt"
OK=$(grep -o '"status" *: *"ok"' "$DIR/run.json" | wc -l)
echo "hosts=$HOSTS latency=$LATENCY rc=$RC ok=$OK wall=${WALL}s client_cpu=$(echo "$USER + $SYS" | bc)s" \
  "client_cpu_ms/host=$(echo "scale=2; ($USER + $SYS) * 1000 / $HOSTS" | bc)" \
  "fleet_cpu_ms/host=$(echo "scale=2; ($F1 - $F0) * 10 / $HOSTS" | bc) client_peak_rss=$((RSS / 1024))MB"
cat "$DIR/run.err"
