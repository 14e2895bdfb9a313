#!/bin/sh
# S6's notify script: on every transition make sure nginx runs (the seed restarts it).
dir=$(dirname "$0")
echo "$(date +%T) to be $1" >> "$dir/notify.log"
case $1 in
  master|backup)
    if ! { [ -s "$dir/nginx.pid" ] && kill -0 "$(cat "$dir/nginx.pid")" 2>/dev/null; }; then
      nginx -c "$dir/nginx.conf" -p "$dir" && echo "$(date +%T) nginx restarted" >> "$dir/notify.log"
    fi ;;
esac
exit 0
