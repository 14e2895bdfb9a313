#!/bin/sh
# S6's check: is this node's nginx alive? (The seed uses `killall -0 nginx`; the lab's nodes
# share one process table, so it checks the pid file of this node's nginx instead.)
dir=$(dirname "$0")
[ -s "$dir/nginx.pid" ] && kill -0 "$(cat "$dir/nginx.pid")" 2>/dev/null
