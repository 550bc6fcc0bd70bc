/**
 * Load-balancing algorithms, one class each, behind {@link io.bulwark.lb.LoadBalancer}. Pure: no Netty, no I/O.
 *
 * <p>Instances are confined to one event loop, so their own state needs no locks; what they read from a
 * {@code Server} (eligibility, in-flight count) is shared. Weights are fixed per instance (a reload builds
 * new ones), so each algorithm precomputes what it can from them and falls back to a scan over the usable
 * servers only when a precomputed answer names an ineligible or tried one. Costs per pick at 1,000
 * servers: round_robin O(1) from a precomputed smooth window; random O(log n); ip_hash O(log points);
 * least_conn O(n), or O(1) while a server is idle. Picks do not allocate.
 */
package io.bulwark.lb;
