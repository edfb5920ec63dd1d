#!/usr/bin/env bash
# Run tests/security/test_bad_input.py in FUZZ_SHARDS processes at once (make fuzz).
# Shard i keeps every n-th test from the i-th (tests/security/conftest.py, FUZZ_SHARD), uses
# the test database test_<name>_fuzz<i> and Redis databases of its own, and writes its output
# to .data/fuzz-<i>.log; the run fails when any shard fails, and prints every shard's summary.
# Usage: fuzz_shards.sh PYTHON [PYTEST_ARGS...]
set -uo pipefail
python="$1"; shift
shards="${FUZZ_SHARDS:-2}"
base_redis="${TEST_REDIS_DB:-9}"
mkdir -p .data
pids=()
started=$(date +%s)
for ((i = 0; i < shards; i++)); do
  FUZZ_SHARD="$i/$shards" TEST_DB_SUFFIX="fuzz$i" TEST_REDIS_DB=$(((base_redis + 2 * (i + 1)) % 16)) \
    "$python" -m pytest tests/security/test_bad_input.py -q -p no:cacheprovider "$@" \
    >".data/fuzz-$i.log" 2>&1 &
  pids+=($!)
done
status=0
for ((i = 0; i < shards; i++)); do
  if ! wait "${pids[$i]}"; then status=1; fi
done
for ((i = 0; i < shards; i++)); do
  echo "--- fuzz shard $i of $shards (.data/fuzz-$i.log)"
  if [ "$status" -ne 0 ]; then cat ".data/fuzz-$i.log"; else tail -n 3 ".data/fuzz-$i.log"; fi
done
echo "fuzz: $shards shards, FUZZ_EXAMPLES=${FUZZ_EXAMPLES:-60}, $(($(date +%s) - started)) s"
exit "$status"
