#!/usr/bin/env bash
# One 200 MB upload over loopback, in one run: OpenSSH's scp and sftp, then `fanout copy` with each driver, all to
# the same throwaway sshd (127.0.0.1:2299, key login). Prints seconds and MB/s per tool; fanout's times include its
# JVM start (about 0.5 s), which `fanout copy` reports apart as the step's own duration in --format json.
# Needs root (a local user and sshd), openssh-server and jq; run from the repository root:
# config/bench/sftp-throughput.sh
set -euo pipefail
SIZE_MB=${SIZE_MB:-200}
PORT=${PORT:-2299}
USER_NAME=fanout-bench
work=$(mktemp -d /tmp/fanout-sftp-bench.XXXXXX)
chmod 755 "$work"
trap 'kill "$(cat "$work/sshd.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$work"' EXIT

id "$USER_NAME" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$USER_NAME"
usermod -p "*" "$USER_NAME"   # no password, but not locked: sshd refuses locked accounts even with a key
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$work/client_key"
mkdir -p "$work/keys" && cp "$work/client_key.pub" "$work/keys/$USER_NAME" && chmod 644 "$work/keys/$USER_NAME"
cat > "$work/sshd_config" <<CONF
Port $PORT
ListenAddress 127.0.0.1
HostKey $work/host_key
PidFile $work/sshd.pid
PubkeyAuthentication yes
PasswordAuthentication no
AuthorizedKeysFile $work/keys/%u
StrictModes no
Subsystem sftp internal-sftp
CONF
mkdir -p /run/sshd
/usr/sbin/sshd -f "$work/sshd_config"
sleep 0.5
echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$work/host_key.pub")" > "$work/known_hosts"
head -c "${SIZE_MB}M" /dev/urandom > "$work/payload.bin"
dest=/home/$USER_NAME
ssh_opts=(-o BatchMode=yes -o UserKnownHostsFile="$work/known_hosts" -o StrictHostKeyChecking=yes -i "$work/client_key")

timed() { # prints the seconds a command took; on failure its output, then stops the script
    local start end
    start=$(date +%s.%N)
    if ! "$@" >"$work/last.out" 2>"$work/last.err"; then
        cat "$work/last.out" "$work/last.err" >&2
        kill -TERM $$
    fi
    end=$(date +%s.%N)
    awk "BEGIN{print $end - $start}"
}
report() { awk -v name="$1" -v secs="$2" -v mb="$SIZE_MB" 'BEGIN{printf "%-22s %7.2f s %8.1f MB/s\n", name, secs, mb/secs}'; }

echo "one ${SIZE_MB} MB file to 127.0.0.1 (OpenSSH $(/usr/sbin/sshd -V 2>&1 | head -1 | cut -d, -f1))"
report "scp" "$(timed scp -q "${ssh_opts[@]}" -P "$PORT" "$work/payload.bin" "$USER_NAME@127.0.0.1:$dest/scp.bin")"
report "sftp (put)" "$(timed sftp -q "${ssh_opts[@]}" -P "$PORT" -b <(echo "put $work/payload.bin $dest/sftp.bin") \
    "$USER_NAME@127.0.0.1")"
./fanout --version >/dev/null   # build first, outside the timings
for driver in jsch mina; do
    report "fanout copy ($driver)" "$(timed ./fanout copy -H "$USER_NAME@127.0.0.1:$PORT" --identity "$work/client_key" \
        --known-hosts "$work/known_hosts" --driver "$driver" --no-progress --format json "$work/payload.bin" \
        "$dest/$driver")"
    # The upload step alone (no JVM start, connect or login), from the JSON result.
    step_ms=$(jq '.hosts[0].steps[] | select(.type == "upload") | .durationMs' "$work/last.out")
    report "  its upload step" "$(awk "BEGIN{print $step_ms / 1000}")"
done
cmp "$work/payload.bin" "$dest/mina/payload.bin" && cmp "$work/payload.bin" "$dest/jsch/payload.bin" \
    && echo "copies identical to the source"
rm -rf "$dest/scp.bin" "$dest/sftp.bin" "$dest/jsch" "$dest/mina"
