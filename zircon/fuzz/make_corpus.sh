#!/usr/bin/env bash
# Writes the zx fuzzer's seed corpus (zircon/fuzz/corpus/): small hand-made inputs, one scenario
# each, so that fuzzing starts from inputs that already reach every object type.
#   zircon/fuzz/make_corpus.sh     # rewrites corpus/seed-*; run it after changing a seed below
#
# Encoding (README.md has the full table): one byte chooses the operation (kOps in
# zx_fuzzer.cc), then the operation reads its arguments. A handle argument is one byte: 00-bf
# picks the input's live handles in creation order (modulo their number), c0-df a closed one,
# e0-ef ZX_HANDLE_INVALID, f0-ff a forged 32-bit value that follows. A pointer argument is one
# byte: f0-ff passes null. Options bytes 00-bf mean 0. Signals are two bytes: 00 nn = user
# signals nn<<24, 01 nn = object signals nn, 02 = none. Deadlines for waits: 00 = 0.
set -euo pipefail

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/corpus"
mkdir -p "$dir"
rm -f "$dir"/seed-*

# seed NAME HEX...: writes the bytes HEX (two digits each, spaces ignored) to corpus/seed-NAME.
seed() {
  local name=$1
  shift
  local hex escaped
  hex=$(printf '%s' "$*" | tr -d ' ')
  escaped=$(printf '%s' "$hex" | sed 's/\(..\)/\\x\1/g')
  printf '%b' "$escaped" >"$dir/seed-$name"
}

# Events: create, signal USER_0, wait for it, close.
seed event-signal-wait    00 00 00  0b 00 02 00 01  0d 00 00 01 00 00  09 00
# Event pair: signal the peer, wait on it; close one end, wait for PEER_CLOSED on the other.
seed eventpair-peer       01 00 00 00  0c 00 02 00 01  0d 01 00 01 00 00  09 00  0d 00 01 04 00 00
# Channel: write 16 bytes, read them with full-size buffers.
seed channel-bytes        02 00 00 00  17 00 00 00 01 10 00 00 41  18 01 00 00 01 00 01 00 00
# Channel: send an event in a message, read it back with zx_channel_read_etc.
seed channel-handle       00 00 00  02 00 00 00  17 01 00 00 00 00 01 00 00 42  18 01 00 00 01 00 01 00 01
# Channel: write after the peer closed; read an empty channel whose peer closed.
seed channel-peer-closed  02 00 00 00  09 01  17 00 00 00 00 00 00 41  18 00 00 00 01 00 01 00 00
# Channel: a channel end sent through a newer channel; closing the newer one drops it.
seed channel-nested       02 00 00 00  02 00 00 00  17 02 00 00 00 00 01 00 00 41  17 00 00 00 01 08 00 00 43  09 02
# Channel: a message too big for the buffer, read with ZX_CHANNEL_READ_MAY_DISCARD.
seed channel-discard      02 00 00 00  17 00 00 00 01 40 00 00 44  18 01 80 00 00 01 04 00 00 00 00 00  18 01 00 00 01 00 01 00 00
# Channel: a message past the byte limit, then one of exactly 65536 bytes read into 65536.
seed channel-limits       02 00 00 00  17 00 00 00 04 05 00 00 45  17 00 00 00 03 00 00 46  18 01 00 00 00 03 00 00 00 00 00
# Port: queue a user packet and take it.
seed port-queue-wait      03 00 00  10 00 00 05 00 00 07  12 00 00 00
# Port: fill to the limit, one more is refused, drain, queue again.
seed port-limit           03 00 00  11 00 0c 08 00 00 00 00  10 00 00 00 00 00 00  13 00 0c 08  10 00 00 00 00 00 00
# Port: a one-shot async wait on an event fires when the event is signaled.
seed wait-async-once      00 00 00  03 00 00  0f 00 01 00 00 01 00  0b 00 02 00 01  12 01 00 00
# Port: a repeating async wait, then zx_port_cancel of it.
seed wait-async-cancel    00 00 00  03 00 00  0f 00 01 01 00 01 80  0b 00 02 00 01  14 01 00 01  12 01 00 00
# Port: an async wait for READABLE or WRITABLE on an empty channel (regression: the packet's
# count was 0; Zircon's is 1).
seed wait-async-channel   02 00 00 00  03 00 00  0f 00 02 00 01 03 00  12 02 00 00
# Port: an async wait through a handle that is then closed.
seed wait-async-close     01 00 00 00  03 00 00  0f 00 02 02 01 04 80  09 01  12 01 00 00
# Timer: set in the past (signaled at once), wait, cancel.
seed timer-past           04 00 00 00  15 00 00 00  0d 00 01 08 00 00  16 00
# Timer: set 16 ns ahead with an async wait; the timer thread fires it.
seed timer-soon           04 00 00 00  03 00 00  0f 00 01 00 01 08 00  15 00 03 10 00 00  12 01 00 00
# Timer: several timers armed far ahead and re-armed after cancels.
seed timer-rearm          04 00 00 00  04 00 00 00  04 00 00 00  15 00 04 00 00 00 10 00  15 01 04 00 00 00 20 00  16 00  15 02 04 00 00 00 30 00  15 00 04 00 00 00 40 00
# Timer: the first of two armed timers canceled, then closed (regression: its stale place in
# the timer queue made its destructor assert).
seed timer-cancel-first   04 00 00 00  04 00 00 00  15 00 04 00 00 00 10 00  15 01 04 00 00 00 20 00  16 00  09 00
# Timer: a negative slack, and a deadline far in the past.
seed timer-slack          04 c2 00 00  15 00 06 00 00 00 00 00 00 00 80 03 ff ff ff ff ff ff ff ff  15 00 01 00
# Fds: a pipe's read end (borrowed) waited on through a port; data written to the write end.
seed fd-pipe              19 00 00 00 00  03 00 00  0f 00 01 00 01 01 00  1a 01 00 10 00  12 01 00 00
# Fds: an adopted eventfd, waited on directly; its fd read back.
seed fd-eventfd           19 01 05 00 01 00  0d 00 01 01 00 00  1b 00 00
# Fds: a socket pair end with a repeating PEER_CLOSED wait; the other end closed.
seed fd-socket-hangup     19 02 00 00 00  03 00 00  0f 00 01 00 01 04 80  1a 01 03 00 00  12 01 00 00
# Fds: a memfd (a regular file, not pollable) and stderr (borrowed).
seed fd-unpollable        19 03 00 00 00  19 05 02 02 00 00
# Handles: duplicate with no rights, replace, use both.
seed handle-rights        00 00 00  07 00 01 00  08 00 00 00  0b 00 02 00 01  0b 01 02 00 01
# Handles: close several at once, one of them invalid.
seed handle-close-many    00 00 00  00 00 00  0a 03 00 00 01 e0
# Handles: forged values.
seed handle-forged        09 f0 03 00 00 00  07 f0 ff ff ff ff 00 00  0d f0 07 00 10 00 00 02 00 00
# Waits: zx_object_wait_many on a signaled event, an event pair end and nothing.
seed wait-many            00 00 00  01 00 00 00  0b 00 02 00 01  0e 03 00 00 00 00 01 01 01 04 02 02
# Object info: the basic info of an event, ZX_INFO_PROCESS of this process.
seed object-info          00 00 00  1d 00 00 01 00 03 00  1d f0 02 00 03 00
# Threads: create one (not started), read its info, kill it.
seed thread-kill          06 01 00 10 00 00  1d 00 00 03 00 03 00  1e 00 00  1d 00 00 03 00 03 00
# Exceptions: bind a port to a thread and unbind it; resume with no exception.
seed exception-thread     06 01 00 10 00 00  03 00 00  1f 00 00 40 01 01 00  20 00 01 00  1f 00 00 00 00 00
# Exceptions: bind a port as this process's exception port, then close the port.
seed exception-process    03 00 00  1f 01 40 00 00 00  09 00
# Child processes: a running child waited on through a port; the exited child reaped.
seed linux-process        1c 05 00 00  1d 00 00 02 00 03 00  03 00 00  0f 00 01 00 01 08 00  1c 06 00 00  1d 00 02 02 00 03 00
# Clocks, status strings, the hypervisor calls' argument checks.
seed misc                 21 01 00 00 00 00 00 00 00 00 00 00 00  21 00 fb ff ff ff 00 10  22 00 00 00 00 01 00 00 00  22 e0 e0 00 03
echo "wrote $(ls "$dir" | grep -c '^seed-') seeds to $dir"
