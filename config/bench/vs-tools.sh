#!/usr/bin/env bash
# fanout against pdsh, ClusterShell (clush) and Ansible (raw module) on 1, 10, 200 and 1,000 simulated hosts: key
# login, `uname -sr`, one run each, the fleet in its own process (0 ms latency). Prints wall and CPU (user+sys of
# the tool and its ssh children) per tool and host count, and how many hosts answered.
# Installs pdsh, clustershell and ansible-core from Debian when missing (needs root and apt).
# Usage: config/bench/vs-tools.sh [HOST_COUNTS...]   (default: 1 10 200 1000)
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
COUNTS=("$@")
[[ ${#COUNTS[@]} -gt 0 ]] || COUNTS=(1 10 200 1000)
missing=()
command -v pdsh > /dev/null || missing+=(pdsh)
command -v clush > /dev/null || missing+=(clustershell)
command -v ansible > /dev/null || missing+=(ansible-core)
if [[ ${#missing[@]} -gt 0 ]]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" > /dev/null || { echo "vs-tools: cannot install ${missing[*]}" >&2; exit 2; }
fi
MAX=0
for n in "${COUNTS[@]}"; do (( n > MAX )) && MAX=$n; done
DIR=$(mktemp -d)
trap 'kill $FLEET 2>/dev/null; rm -rf "$DIR"' EXIT
ssh-keygen -q -t ed25519 -N '' -f "$DIR/key"
./fanout fleet --hosts "$MAX" --latency 0ms --authorized-keys "$DIR/key.pub" --inventory-out "$DIR/all.txt" \
  --known-hosts-out "$DIR/known_hosts" > "$DIR/fleet.out" 2>&1 &
FLEET=$!
for _ in $(seq 1 240); do grep -q '^ready' "$DIR/fleet.out" && break; sleep 0.5; done
PORT=$(head -1 "$DIR/all.txt" | sed 's/.*://')
SSH_OPTS="-p $PORT -i $DIR/key -o UserKnownHostsFile=$DIR/known_hosts -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -o BatchMode=yes -F /dev/null"
measure() { # label hosts command...
  local label=$1 n=$2
  shift 2
  /usr/bin/time -f "%e %U %S" -o "$DIR/time.txt" "$@" > "$DIR/out.txt" 2> "$DIR/err.txt"
  local rc=$?
  read -r wall user sys < "$DIR/time.txt"
  printf '%-8s hosts=%-5s rc=%s answered=%s wall=%ss cpu=%ss\n' "$label" "$n" "$rc" \
    "$(grep -c 'Linux 5.10' "$DIR/out.txt")" "$wall" "$(echo "$user + $sys" | bc)"
}
for n in "${COUNTS[@]}"; do
  head -"$n" "$DIR/all.txt" > "$DIR/inv.txt"
  sed 's/^root@//; s/:.*//' "$DIR/inv.txt" > "$DIR/addresses.txt"
  measure fanout "$n" ./fanout run -i "$DIR/inv.txt" --known-hosts "$DIR/known_hosts" --identity "$DIR/key" \
    --no-ssh-config --no-agent --no-progress -c 'uname -sr'
  if (( n == 1 )); then
    # shellcheck disable=SC2086 # SSH_OPTS is a list of options
    measure ssh 1 ssh $SSH_OPTS "root@$(cat "$DIR/addresses.txt")" 'uname -sr'
  fi
  PDSH_SSH_ARGS_APPEND="$SSH_OPTS" measure pdsh "$n" pdsh -R ssh -f 64 -l root -w "^$DIR/addresses.txt" 'uname -sr'
  measure clush "$n" clush -f 64 -l root -o "$SSH_OPTS" --hostfile "$DIR/addresses.txt" 'uname -sr'
  if (( n <= 200 )); then
    awk -v port="$PORT" -v key="$DIR/key" -v kh="$DIR/known_hosts" '{print $0, "ansible_port=" port,
      "ansible_user=root ansible_ssh_private_key_file=" key,
      "ansible_ssh_common_args=\"-o UserKnownHostsFile=" kh " -o StrictHostKeyChecking=yes -F /dev/null\""}' \
      "$DIR/addresses.txt" > "$DIR/ansible.ini"
    ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_LOCAL_TEMP="$DIR/ansible-tmp" measure ansible "$n" \
      ansible all -i "$DIR/ansible.ini" -m raw -a 'uname -sr' -f 50
  fi
done
