"""Topology-test harness: network namespaces, LANs, router processes and event-driven waits.

Used by the pytest suite in tests/topo and by the lab tool lab/vigil-lab. Python stdlib only
(scapy is optional and imported where needed). Everything here must run as root.
"""
