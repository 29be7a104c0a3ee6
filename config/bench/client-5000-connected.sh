#!/usr/bin/env bash
# Holds 5,000 sessions open from one client (`fanout run ... -c 'sleep 60'` on a 5,000-host fleet in its own
# process) and measures the client: heap after GC per connected host, platform threads, and the ten classes that
# hold the most heap then (jcmd GC.class_histogram, whole histogram in /tmp/c5k-histogram-DRIVER.txt). The serial
# collector's full collection leaves up to 5% of the old generation dead (-XX:MarkSweepDeadRatio), as filler arrays
# (jdk.internal.vm.FillerElement[]): live_per_host_kb leaves them out. Usage: DRIVER=mina|jsch
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
J="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin"
DRIVER="${DRIVER:-mina}"
export FLEET_PW=measure-pw
./fanout fleet --hosts 5000 --password-env FLEET_PW --inventory-out /tmp/c5k.txt --known-hosts-out /tmp/c5k.kh > /tmp/c5k.out 2>&1 &
for i in $(seq 1 120); do grep -q ready /tmp/c5k.out && break; sleep 0.5; done
FLEET=$(pgrep -f "fanout.jar fleet --hosts 5000 --password-env FLEET_PW --inventory-out /tmp/c5k.txt")
./fanout run -i /tmp/c5k.txt --known-hosts /tmp/c5k.kh --password-env FLEET_PW --driver "$DRIVER" --no-progress -c 'sleep 60' > /dev/null 2>&1 &
sleep 3
CLIENT=$(pgrep -f "fanout.jar run -i /tmp/c5k.txt")
# The heap's used KB after a full collection: G1's one line, or the serial collector's two generations summed.
heap_after_gc() {
  $J/jcmd "$CLIENT" GC.run > /dev/null
  $J/jcmd "$CLIENT" GC.heap_info | grep -E "^ *(DefNew|Tenured|def new generation|tenured generation|garbage-first heap) " | grep -o "used [0-9]*K" | grep -o "[0-9]*" \
    | awk '{sum += $1} END {print sum}'
}
for i in $(seq 1 60); do
  [ "$(ls /proc/$FLEET/fd | wc -l)" -gt 10000 ] && break; sleep 0.5
done
sleep 2
echo "$DRIVER client with 5000 sessions open: heap_used_after_gc_kb=$(heap_after_gc) platform_threads=$(ls /proc/$CLIENT/task | wc -l) rss_kb=$(grep VmRSS /proc/$CLIENT/status | awk '{print $2}')"
histogram=/tmp/c5k-histogram-$DRIVER.txt
$J/jcmd "$CLIENT" GC.class_histogram > "$histogram"
awk '/FillerElement/ { filler = $3 } /^Total/ { total = $3 }
     END { printf "live objects after GC: %d KB (dead filler %d KB), live_per_host_kb=%.1f\n",
           (total - filler) / 1024, filler / 1024, (total - filler) / 1024 / 5000 }' "$histogram"
echo "top 10 classes of the client's heap (instances, bytes, class):"
sed -n '4,13p' "$histogram"
kill "$CLIENT" "$FLEET"
