#!/usr/bin/env bash
# Measures the client on 1,000 simulated hosts (fleet in its own process, 100 ms per phase, the reference
# workload's three commands) reached directly, then through the fleet's bastion over ONE bastion session
# (--bastion-sessions 1 --bastion-channels 1000; the default 256 handshakes through the bastion at once, as for the
# direct runs, and 64): wall time and client CPU per host, per driver, VIRTUAL mode.
# Two fleets of 1,000 hosts, one after the other: a fleet behind a bastion refuses direct connections. A 60 s
# connect time-out, so that no host times out on a loaded machine: the figures compare complete runs.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export FLEET_PW=measure-pw
COMMANDS=(-c 'uname -sr' -c "echo 'sleep 5 && ls -al' > /tmp/sleep.sh && chmod +x /tmp/sleep.sh"
          -c 'nohup bash /tmp/sleep.sh &> /tmp/nm.nohup.out &')
start_fleet() { # name extra-args...
  local name=$1; shift
  ./fanout fleet --hosts 1000 --latency 100ms --password-env FLEET_PW --inventory-out /tmp/$name.txt \
    --known-hosts-out /tmp/$name.kh "$@" > /tmp/$name.out 2>&1 &
  for i in $(seq 1 120); do grep -q ready /tmp/$name.out && break; sleep 0.5; done
  FLEET=$!
}
run() { # label inventory known-hosts driver extra-args...
  local label=$1 inventory=$2 known=$3 driver=$4; shift 4
  /usr/bin/time -f "%e %U %S" -o /tmp/time.txt ./fanout run -i $inventory --known-hosts $known \
    --password-env FLEET_PW --driver $driver --no-progress --no-ssh-config --no-agent --connect-timeout 60s \
    "${COMMANDS[@]}" "$@" \
    > /dev/null 2>/tmp/run.err
  local rc=$?
  read wall user sys < <(tail -1 /tmp/time.txt) # GNU time says "Command exited with non-zero status" first
  echo "$label $driver hosts=1000 rc=$rc wall=${wall}s client_cpu=$(echo "$user + $sys" | bc)s" \
    "client_cpu_ms/host=$(echo "scale=2; ($user + $sys) * 1000 / 1000" | bc) | $(tail -1 /tmp/run.err)"
}
start_fleet direct
for driver in mina jsch; do
  run direct /tmp/direct.txt /tmp/direct.kh $driver
done
kill $FLEET; wait $FLEET 2>/dev/null
start_fleet behind --bastion
BASTION=$(grep -o 'root@127.100.0.1:[0-9]*' /tmp/behind.out | head -1)
for driver in mina jsch; do
  run "bastion(1 session, 256 handshakes)" /tmp/behind.txt /tmp/behind.kh $driver -J $BASTION \
    --bastion-sessions 1 --bastion-channels 1000
  run "bastion(1 session, 64 handshakes)" /tmp/behind.txt /tmp/behind.kh $driver -J $BASTION \
    --bastion-sessions 1 --bastion-channels 1000 --bastion-handshakes 64
done
kill $FLEET; wait $FLEET 2>/dev/null
grep 'bastion carried' /tmp/behind.out
