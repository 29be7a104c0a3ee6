#!/usr/bin/env bash
# Measures the client in each mode and driver against a 5,000-host simulated fleet in its own process
# (100 ms per phase), on 1,000 and 5,000 hosts: wall time, CPU per host, peak threads and heap (JFR).
# Fleet in its own process; the client is ./fanout run. Prints one line per run.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export FLEET_PW=measure-pw
./fanout fleet --hosts 5000 --latency 100ms --password-env FLEET_PW --inventory-out /tmp/f5k.txt --known-hosts-out /tmp/f5k.kh > /tmp/fleet5k.out 2>&1 &
for i in $(seq 1 120); do grep -q ready /tmp/fleet5k.out && break; sleep 0.5; done
FLEET=$(pgrep -f "fanout.jar fleet --hosts 5000")
head -1000 /tmp/f5k.txt > /tmp/f1k.txt
cpu_of() { awk '{print $14+$15}' /proc/$1/stat; }
run() { # hosts-file driver mode
  local jfr=/tmp/run-$2-$3-$(wc -l < $1).jfr
  local f0=$(cpu_of $FLEET)
  FANOUT_JAVA_OPTS="-XX:StartFlightRecording=filename=$jfr,settings=default" /usr/bin/time -f "%e %U %S %M" -o /tmp/time.txt \
    ./fanout run -i $1 --known-hosts /tmp/f5k.kh --password-env FLEET_PW --driver $2 --mode $3 --no-progress \
    -c 'uname -sr' -c "echo 'sleep 5 && ls -al' > /tmp/sleep.sh && chmod +x /tmp/sleep.sh" -c 'nohup bash /tmp/sleep.sh &> /tmp/nm.nohup.out &' > /dev/null 2>/tmp/run.err
  local rc=$?
  local f1=$(cpu_of $FLEET)
  read wall user sys rss < /tmp/time.txt
  local peak=$("${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jfr" print --events jdk.JavaThreadStatistics $jfr | grep peakCount | awk '{print $3}' | sort -n | tail -1)
  local heap=$("${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jfr" print --events jdk.GCHeapSummary $jfr | grep heapUsed | sed 's/.*= //' | sort -h | tail -1)
  local n=$(wc -l < $1)
  echo "$2 $3 hosts=$n rc=$rc wall=${wall}s client_cpu=$(echo "$user + $sys" | bc)s client_cpu_ms/host=$(echo "scale=2; ($user + $sys) * 1000 / $n" | bc) fleet_cpu_ms/host=$(echo "scale=2; ($f1 - $f0) * 10 / $n" | bc) peak_threads=$peak peak_heap=$heap maxrss_kb=$rss | $(tail -1 /tmp/run.err)"
}
for hosts in /tmp/f1k.txt /tmp/f5k.txt; do
  run $hosts mina platform
  run $hosts mina virtual
  run $hosts mina async
  run $hosts jsch platform
  run $hosts jsch virtual
done
kill $FLEET
