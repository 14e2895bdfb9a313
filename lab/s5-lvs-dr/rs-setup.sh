#!/bin/sh
# Real-server side of LVS-DR (the seed's RS script): the VIP on lo so the real server accepts
# packets the director forwards unchanged, and ARP settings so that only the director answers
# ARP for the VIP on the LAN.
#   arp_ignore=1:   answer ARP only for addresses configured on the receiving interface
#   arp_announce=2: use the best local address (not the VIP) as the source of ARP requests
VIP=${1:-192.0.2.100}
case "$2" in
stop)
    ip addr del "$VIP/32" dev lo 2>/dev/null
    for i in all lo; do
        sysctl -qw net.ipv4.conf.$i.arp_ignore=0 net.ipv4.conf.$i.arp_announce=0
    done
    ;;
*)
    for i in all lo; do
        sysctl -qw net.ipv4.conf.$i.arp_ignore=1 net.ipv4.conf.$i.arp_announce=2
    done
    ip addr add "$VIP/32" dev lo label lo:0
    ;;
esac
