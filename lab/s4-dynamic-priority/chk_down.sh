#!/bin/sh
# S4's check (seed example 4): fail while a file named "down" sits next to this script.
[ -f "$(dirname "$0")/down" ] && exit 1
exit 0
