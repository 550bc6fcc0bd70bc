/**
 * Upstreams and their servers: address, weight, in-flight count, and state in three dimensions kept apart
 * (operational health owned by checks, admin state owned by the operator, ejection owned by passive
 * detection), folded into one volatile eligibility flag for the request path. Checks and the operator change
 * it; balancers read it.
 */
package io.bulwark.upstream;
