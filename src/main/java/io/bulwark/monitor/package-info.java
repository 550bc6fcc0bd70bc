/**
 * Host and peer checks with Nagios's semantics: built-in probes (CPU, load, memory, disk, latency, HTTP) and
 * Nagios plugins, warning and critical thresholds in the plugin guidelines' range syntax, and Nagios's state
 * logic (SOFT and HARD states, retries, flap detection) deciding what is worth telling people.
 */
package io.bulwark.monitor;
