/** Load-balancing algorithms, one class each, behind {@link io.bulwark.lb.LoadBalancer}. Pure: no Netty, no I/O. */
package io.bulwark.lb;
