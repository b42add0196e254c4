package main

// The blog's time zone setting takes IANA names; embedding the zone
// database (about 450 KB) keeps it working on hosts and containers without
// /usr/share/zoneinfo.
import _ "time/tzdata"
