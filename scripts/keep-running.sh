#!/usr/bin/env bash
# Restart a background process that exits (make run's worker and beat under honcho): honcho
# stops every process when one ends, so a beat that crashed took the web server with it.
# Ctrl-C (SIGINT/SIGTERM from honcho) stops the loop.
set -u
trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 0' INT TERM
while true; do
  "$@" &
  child=$!
  wait "$child"
  status=$?
  echo "[keep-running] '$1 ${2:-}' stopped ($status); restarting in 2 s" >&2
  sleep 2
done
