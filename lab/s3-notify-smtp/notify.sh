#!/bin/sh
# S3's notify script (seed example 3): record each transition next to this script. The seed's
# version mails root with `mail`; here keepalived's own smtp_alert does the mailing.
echo "$(date +%T) $(basename "$(dirname "$0")") to be $1, vip floating" >> "$(dirname "$0")/notify.log"
