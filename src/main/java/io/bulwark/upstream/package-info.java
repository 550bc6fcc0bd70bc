/** Upstreams and their servers: address, weight, health state, in-flight count. Checks and the operator change it; balancers read it. */
package io.bulwark.upstream;
