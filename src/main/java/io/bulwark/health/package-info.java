/**
 * Deciding whether servers should take traffic: active checks (HTTP and TCP on the event loops, Nagios
 * plugins on virtual threads) through a rise/fall state machine, and passive detection from real requests
 * (consecutive failures with back-off, nginx's max_fails, and statistical outliers whose success rate or latency
 * stands out from their peers'). It changes {@code upstream} state and nothing else.
 */
package io.bulwark.health;
