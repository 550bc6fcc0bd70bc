#!/usr/bin/env bash
# Runs KeepalivedInteropTest: Bulwark in namespace bwk-bw, keepalived in bwk-ka, joined by a veth.
# Needs root (namespaces, raw sockets), iproute2 and keepalived (apt-get install keepalived, or point
# BULWARK_KEEPALIVED at a binary). Removes the namespaces it made on exit. Extra args go to Maven.
set -euo pipefail
KEEPALIVED=${BULWARK_KEEPALIVED:-$(command -v keepalived || true)}
if [ -z "$KEEPALIVED" ] || [ ! -x "$KEEPALIVED" ]; then
    echo "keepalived not found: apt-get install keepalived, or set BULWARK_KEEPALIVED=/path/to/keepalived" >&2
    exit 2
fi
cleanup() {
    ip netns del bwk-ka 2>/dev/null || true
    ip netns del bwk-bw 2>/dev/null || true
}
trap cleanup EXIT
cleanup
ip netns add bwk-ka
ip netns add bwk-bw
ip link add bwk-ka0 netns bwk-ka type veth peer name bwk-bw0 netns bwk-bw
ip -n bwk-ka addr add 192.168.213.1/24 dev bwk-ka0
ip -n bwk-bw addr add 192.168.213.2/24 dev bwk-bw0
for ns in bwk-ka bwk-bw; do ip -n "$ns" link set lo up; done
ip -n bwk-ka link set bwk-ka0 up
ip -n bwk-bw link set bwk-bw0 up
cd "$(dirname "$0")/../../.."
BULWARK_KEEPALIVED="$KEEPALIVED" ip netns exec bwk-bw ./mvnw -B -q test \
    -Dtest=KeepalivedInteropTest -Dsurefire.failIfNoSpecifiedTests=false "$@"
