#!/usr/bin/env bash
# Holds 5,000 sessions open on a simulated fleet and measures the fleet process: threads, heap after GC,
# RSS and CPU for the 5,000 handshakes.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export FLEET_PW=measure-pw
J="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin"
./fanout fleet --hosts 5000 --password-env FLEET_PW --inventory-out /tmp/f5k.txt --known-hosts-out /tmp/f5k.kh > /tmp/fleet5k.out 2>&1 &
for i in $(seq 1 120); do grep -q ready /tmp/fleet5k.out && break; sleep 0.5; done
FLEET=$(pgrep -f "fanout.jar fleet --hosts 5000")
heap_after_gc() { $J/jcmd $FLEET GC.run > /dev/null; $J/jcmd $FLEET GC.heap_info | grep -o "used [0-9]*K" | head -1 | grep -o "[0-9]*"; }
cpu_of() { awk '{print $14+$15}' /proc/$1/stat; }
echo "idle: threads=$(ls /proc/$FLEET/task | wc -l) heap_used_after_gc_kb=$(heap_after_gc) rss_kb=$(grep VmRSS /proc/$FLEET/status | awk '{print $2}')"
c0=$(cpu_of $FLEET)
./fanout run -i /tmp/f5k.txt --known-hosts /tmp/f5k.kh --password-env FLEET_PW --max-handshakes 256 --no-progress -c 'sleep 40' > /dev/null 2>/tmp/hold.err &
CLIENT=$!
for i in $(seq 1 60); do
  n=$(ls /proc/$FLEET/fd | wc -l)
  [ "$n" -gt 10000 ] && break; sleep 0.5
done
sleep 2
c1=$(cpu_of $FLEET)
echo "5000 connected: open_fds=$(ls /proc/$FLEET/fd | wc -l) threads=$(ls /proc/$FLEET/task | wc -l) heap_used_after_gc_kb=$(heap_after_gc) rss_kb=$(grep VmRSS /proc/$FLEET/status | awk '{print $2}') fleet_cpu_for_5000_handshakes=$(( (c1 - c0) * 10 ))ms"
kill $CLIENT; kill $FLEET
