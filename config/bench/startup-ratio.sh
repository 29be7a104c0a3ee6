#!/usr/bin/env bash
# Start-up as a ratio to `java -version` of the same JDK in the same run, which holds across machines where seconds
# do not: medians of N runs (default 5, interleaved) of whole-process CPU (user+sys) and wall time, from
# /usr/bin/time, of
#   java -version   the launcher's JDK with the launcher's options (FANOUT_JAVA_OPTS=-version), nothing of fanout's
#   --version       ./fanout --version: the command line, picocli, the drivers' names
#   run 1 host      ./fanout run -H HOST -c 'uname -sr' on a simulated fleet (password login, no latency)
# and prints startup_over_java_version = CPU(run 1 host) / CPU(java -version), also as JSON into JSON_FILE if given,
# for `fanout gate --startup JSON_FILE`. Usage: startup-ratio.sh [N [JSON_FILE]]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
runs=${1:-5}
json=${2:-}
work=$(mktemp -d)
export FLEET_PW=startup-pw
./fanout --version >/dev/null 2>&1 # builds the jar and the start-up cache first, if needed
./fanout fleet --hosts 1 --latency 0ms --password-env FLEET_PW --inventory-out "$work/inv.txt" \
    --known-hosts-out "$work/kh" >"$work/fleet.out" 2>&1 &
fleet=$!
trap 'kill $fleet 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do grep -q ready "$work/fleet.out" && break; sleep 0.5; done
host=$(head -1 "$work/inv.txt")
measure() { # label command...
    local label=$1; shift
    /usr/bin/time -f "%e %U %S" -o "$work/time.txt" "$@" >"$work/out.txt" 2>&1 || { cat "$work/out.txt" >&2; exit 1; }
    tail -1 "$work/time.txt" >>"$work/$label.txt"
}
for _ in $(seq 1 "$runs"); do
    measure java-version env FANOUT_JAVA_OPTS=-version ./fanout
    measure version ./fanout --version
    measure run ./fanout run -H "$host" --known-hosts "$work/kh" --password-env FLEET_PW --no-ssh-config --no-agent \
        -c 'uname -sr'
done
median() { # label column(wall|cpu)
    awk -v column="$2" '{ print (column == "wall" ? $1 : $2 + $3) }' "$work/$1.txt" | sort -n \
        | sed -n "$(( (runs + 1) / 2 ))p"
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $runs runs each, medians"
for label in java-version version run; do
    printf '%-14s cpu %6.2f s  wall %6.2f s\n' "$label" "$(median $label cpu)" "$(median $label wall)"
done
ratio=$(awk -v run="$(median run cpu)" -v java="$(median java-version cpu)" 'BEGIN { printf "%.2f", run / java }')
echo "startup_over_java_version $ratio"
if [[ -n "$json" ]]; then
    echo "{\"startup_over_java_version\": $ratio}" >"$json"
fi
